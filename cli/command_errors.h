// How commands turn failures into exit statuses and messages, so that every command says
// the same things the same way. Each error is first given its kind (app/error_kind.h), then
// one table maps the kind to the status: what the user asked for cannot be done as asked (a
// bad option or value, an unknown name, a bad configuration file, a store that does not
// exist) exits 2, the documented code of every command; anything else (corrupt stored data,
// a failing source or store, a bug) exits with the command's own failure code. Messages go
// to the log (stderr) without the exception's type. Thread-compatible.
#pragma once

#include <functional>
#include <string_view>

#include "analyzer/error/errors.h"
#include "analyzer/store/store.h"
#include "app/error_kind.h"
#include "app/store_targets.h"  // require_target, which the commands use with these

namespace slowscope {

// A request that cannot be carried out as asked: a bad option, an unknown name. The
// command-line's name for a user's value that cannot be used.
using UsageError = InvalidInput;

// The exit status of every command for a request it cannot carry out as asked.
inline constexpr int kUsageStatus = 2;

// The exit status for an error of `kind` in a command whose failure code is `failure`.
int exit_status(ErrorKind kind, int failure);

// What the log adds after the error's message for `kind` ("" for most).
std::string_view message_hint(ErrorKind kind);

// Runs `body` and returns its exit status. A std::exception is logged with its kind's hint
// and becomes exit_status(its kind, failure).
int run_command(int failure, const std::function<int()>& body);

}  // namespace slowscope
