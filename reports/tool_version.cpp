#include "reports/tool_version.h"

namespace slowscope {

std::string_view tool_version() {
  return SLOWSCOPE_VERSION;
}

}  // namespace slowscope
