// The report's Content-Security-Policy: hashes computed by OpenSSL against known SHA-256
// vectors, and a <meta> that allows nothing else and refuses anything that is not a hash.
#include "reports/html/content_security_policy.h"

#include <gtest/gtest.h>

namespace slowscope::html {
namespace {

TEST(ContentSecurityPolicy, HashesMatchKnownSha256Vectors) {
  EXPECT_EQ(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
  EXPECT_EQ(csp_hash("abc"), "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
  // The hash covers the exact bytes: one more newline is another hash.
  EXPECT_NE(csp_hash("body{color:red}"), csp_hash("body{color:red}\n"));
}

TEST(ContentSecurityPolicy, MetaListsTheHashesAndNothingElse) {
  const std::string style = csp_hash("body{}"), script = csp_hash("init()");
  EXPECT_EQ(csp_meta({style}, {script}),
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src " +
                style + "; script-src " + script +
                "; img-src data:; base-uri 'none'; form-action 'none'\">");
  EXPECT_EQ(csp_meta({style, csp_hash("x")}, {}),
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src " +
                style + " " + csp_hash("x") +
                "; script-src 'none'; img-src data:; base-uri 'none'; form-action 'none'\">");
}

TEST(ContentSecurityPolicy, MetaRefusesWhatIsNotAHash) {
  for (const std::string bad :
       {"'unsafe-inline'", "*", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' *",
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF\"='",
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU;'", ""}) {
    EXPECT_THROW(csp_meta({bad}, {}), std::logic_error) << bad;
    EXPECT_THROW(csp_meta({}, {bad}), std::logic_error) << bad;
  }
}

}  // namespace
}  // namespace slowscope::html
