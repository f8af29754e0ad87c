// The Content-Security-Policy of the HTML report, as a <meta> element: nothing may load
// (default-src 'none'), and the page's one inline <style> and one inline <script> run only
// because their SHA-256 hashes are listed. A string injected into the page despite the
// escaping therefore still cannot run script or load anything.
//
// The <meta> must come before any <style> or <script> in <head>; a hash covers the exact
// bytes between the element's tags. Pure functions; thread-safe (OpenSSL's digest functions
// are).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slowscope::html {

// The CSP source for inline content, "'sha256-<base64 of SHA-256(content)>'", computed by
// OpenSSL: csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='".
std::string csp_hash(std::string_view inline_content);

// <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src H...;
// script-src H...; img-src data:; base-uri 'none'; form-action 'none'">, 'none' for an
// empty list. Throws std::logic_error for a hash csp_hash did not make.
std::string csp_meta(const std::vector<std::string>& style_hashes,
                     const std::vector<std::string>& script_hashes);

}  // namespace slowscope::html
