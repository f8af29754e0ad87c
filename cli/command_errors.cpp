#include "cli/command_errors.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace slowscope {
namespace {

struct ExitRule {
  ErrorKind kind;
  bool usage;             // exits kUsageStatus, else the command's failure code
  std::string_view hint;  // appended to the message
};

// The one table from kind to exit status; every kind has its row, in enum order.
constexpr std::array kExitRules = {
    ExitRule{ErrorKind::kInvalidInput, true, ""},
    ExitRule{ErrorKind::kConfig, true, ""},
    // Most often a mistyped path: say what creates a store, since a reader never does.
    ExitRule{ErrorKind::kNoStore, true,
             "; `slowscope collect` or `slowscope digest --store` creates a store"},
    ExitRule{ErrorKind::kCorruptData, false, ""},
    ExitRule{ErrorKind::kSourceFailed, false, ""},
    ExitRule{ErrorKind::kStore, false, ""},
    ExitRule{ErrorKind::kInternal, false, ""},
    ExitRule{ErrorKind::kOther, false, ""},
};

constexpr bool rows_in_enum_order() {
  for (size_t i = 0; i < kExitRules.size(); ++i) {
    if (static_cast<size_t>(kExitRules[i].kind) != i) return false;
  }
  return kExitRules.size() == static_cast<size_t>(ErrorKind::kOther) + 1;
}
static_assert(rows_in_enum_order(), "kExitRules needs one row per ErrorKind, in order");

const ExitRule& rule_of(ErrorKind kind) {
  return kExitRules[static_cast<size_t>(kind)];
}

}  // namespace

int exit_status(ErrorKind kind, int failure) {
  return rule_of(kind).usage ? kUsageStatus : failure;
}

std::string_view message_hint(ErrorKind kind) {
  return rule_of(kind).hint;
}

int run_command(int failure, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    const ErrorKind kind = error_kind(std::current_exception());
    spdlog::error("{}{}", e.what(), message_hint(kind));
    return exit_status(kind, failure);
  }
}

}  // namespace slowscope
