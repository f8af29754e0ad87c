#include "app/error_kind.h"

#include <stdexcept>

#include "analyzer/config/config.h"
#include "analyzer/error/errors.h"
#include "analyzer/store/store_error.h"
#include "connectors/common/collector.h"
#include "connectors/common/source_error.h"

namespace slowscope {

ErrorKind error_kind(const std::exception_ptr& error) {
  // Derived types before their bases: NoStoreError is a StoreError, InvalidInput a
  // std::invalid_argument and that a std::logic_error.
  try {
    std::rethrow_exception(error);
  } catch (const ConfigError&) {
    return ErrorKind::kConfig;
  } catch (const NoStoreError&) {
    return ErrorKind::kNoStore;
  } catch (const StoreError&) {
    return ErrorKind::kStore;
  } catch (const CollectorError&) {
    return ErrorKind::kSourceFailed;
  } catch (const SourceError&) {
    // A source's own error that no collector turned into a CollectorError.
    return ErrorKind::kSourceFailed;
  } catch (const CorruptData&) {
    return ErrorKind::kCorruptData;
  } catch (const std::invalid_argument&) {
    // InvalidInput, and what the standard library's number parsers throw for user text.
    return ErrorKind::kInvalidInput;
  } catch (const std::logic_error&) {
    return ErrorKind::kInternal;
  } catch (...) {
    return ErrorKind::kOther;
  }
}

}  // namespace slowscope
