// Store: target leases (one collecting process per target) and the slow-log file ranges
// each target holds. See store.h for the contracts and sql/store/*/005_* for the tables.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <random>

#include "analyzer/store/store.h"
#include "analyzer/store/store_impl.h"

namespace slowscope {
namespace {

std::string hex64(uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, v);
  return text;
}

uint64_t from_hex64(const std::string& text) {
  return std::strtoull(text.c_str(), nullptr, 16);
}

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Where a pid names one process: this boot of the machine, this PID namespace. Empty when
// either is unknown, and then no holder is ever judged gone by its pid.
std::string process_scope() {
  const std::string boot = first_line("/proc/sys/kernel/random/boot_id");
  char ns[128];
  const ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
  if (boot.empty() || n <= 0) return "";
  return boot + "/" + std::string(ns, static_cast<size_t>(n));
}

// Whether `holder` is a process of this machine and PID namespace that no longer runs.
bool is_gone(const LeaseHolder& holder) {
  const LeaseHolder& self = LeaseHolder::this_process();
  if (holder.scope.empty() || holder.scope != self.scope || holder.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH;
}

Lease read_lease(SqlStatement& get) {
  Lease lease;
  lease.holder.owner = get.get_text(0);
  lease.holder.host = get.get_text(1);
  lease.holder.pid = get.get_int(2);
  lease.holder.scope = get.get_text(3);
  lease.acquired_at = store_time(get.get_int(4));
  lease.heartbeat_at = store_time(get.get_int(5));
  lease.expires_at = store_time(get.get_int(6));
  return lease;
}

std::optional<Lease> stored_lease(Store::Impl& s, int64_t target) {
  auto& get = s.sql("lease_get");
  get.bind_int(1, target);
  if (!get.step()) return std::nullopt;
  Lease lease = read_lease(get);
  get.reset();
  return lease;
}

std::string held_message(std::string_view target, const Lease& lease, StoreTime now) {
  const int64_t ago = epoch_seconds(now) - epoch_seconds(lease.heartbeat_at);
  const int64_t left = epoch_seconds(lease.expires_at) - epoch_seconds(now);
  return "target '" + std::string(target) + "' is collected by " + lease.holder.describe() +
         " (last cycle " + std::to_string(std::max<int64_t>(ago, 0)) + " s ago; its lease expires in " +
         std::to_string(std::max<int64_t>(left, 0)) + " s unless renewed)";
}

void bind_file(SqlStatement& statement, int64_t target, const LogFileRecord& f) {
  statement.bind_int(1, target);
  statement.bind_text(2, f.host);
  statement.bind_int(3, static_cast<int64_t>(f.device));
  statement.bind_int(4, static_cast<int64_t>(f.inode));
  statement.bind_int(5, f.head_bytes);
  statement.bind_text(6, hex64(f.head_hash));
  statement.bind_int(7, static_cast<int64_t>(f.read_from));
  statement.bind_int(8, static_cast<int64_t>(f.read_to));
  statement.bind_text(9, f.resume);
  statement.bind_text(10, f.reader);
  statement.bind_int(11, epoch_seconds(f.updated_at));
}

}  // namespace

const LeaseHolder& LeaseHolder::this_process() {
  static const LeaseHolder self = [] {
    LeaseHolder h;
    char host[256] = {};
    h.host = ::gethostname(host, sizeof host - 1) == 0 ? host : "unknown-host";
    h.pid = static_cast<int64_t>(::getpid());
    h.scope = process_scope();
    std::random_device random;
    h.owner = hex64((uint64_t{random()} << 32) | random()) + hex64((uint64_t{random()} << 32) | random());
    return h;
  }();
  return self;
}

std::string LeaseHolder::describe() const {
  return "pid " + std::to_string(pid) + " on " + host;
}

Lease Store::take_lease(std::string_view target, const LeaseHolder& holder, StoreTime now,
                        std::chrono::seconds ttl) {
  Impl& s = *impl_;
  const int64_t id = s.target_id(target);
  const Lease lease = s.in_transaction(
      "taking the lease of target '" + std::string(target) + "'", [&] {
        auto& lock = s.sql("target_state_lock");
        lock.bind_int(1, id);
        lock.run();
        Lease taken{holder, now, now, now + ttl};
        if (const auto stored = stored_lease(s, id)) {
          if (stored->holder.owner == holder.owner) {
            taken.acquired_at = stored->acquired_at;
          } else if (stored->expires_at > now && !is_gone(stored->holder)) {
            throw LeaseHeld(held_message(target, *stored, now), std::string(target), *stored);
          }
        }
        auto& put = s.sql("lease_put");
        put.bind_int(1, id);
        put.bind_text(2, holder.owner);
        put.bind_text(3, holder.host);
        put.bind_int(4, holder.pid);
        put.bind_text(5, holder.scope);
        put.bind_int(6, epoch_seconds(taken.acquired_at));
        put.bind_int(7, epoch_seconds(taken.heartbeat_at));
        put.bind_int(8, epoch_seconds(taken.expires_at));
        put.run();
        return taken;
      });
  s.held_leases[id] = {holder, ttl};
  return lease;
}

void Store::release_lease(std::string_view target, const LeaseHolder& holder) {
  Impl& s = *impl_;
  const int64_t id = s.target_id(target);
  s.in_transaction("releasing the lease of target '" + std::string(target) + "'", [&] {
    auto& release = s.sql("lease_release");
    release.bind_int(1, id);
    release.bind_text(2, holder.owner);
    release.run();
  });
  s.held_leases.erase(id);
}

std::optional<Lease> Store::lease(std::string_view target) {
  Impl& s = *impl_;
  try {
    const auto found = s.find_target(target);
    if (!found) return std::nullopt;
    return stored_lease(s, found->first);
  } catch (const SqlError& e) {
    s.fail("reading the lease of target '" + std::string(target) + "'", e.what());
  }
}

void Store::Impl::renew_held_lease(int64_t target, const std::string& name, StoreTime now) {
  const auto held = held_leases.find(target);
  if (held == held_leases.end()) return;
  const auto& [holder, ttl] = held->second;
  auto& renew = sql("lease_renew");
  renew.bind_int(1, target);
  renew.bind_text(2, holder.owner);
  renew.bind_int(3, epoch_seconds(now));
  renew.bind_int(4, epoch_seconds(now + ttl));
  renew.run();
  if (renew.changes() == 1) return;
  const auto stored = stored_lease(*this, target);
  held_leases.erase(held);
  if (!stored) {
    throw LeaseHeld("the lease of target '" + name + "' was given up while this process held it",
                    name, Lease{});
  }
  throw LeaseHeld("the lease of target '" + name + "' was taken over: " +
                      held_message(name, *stored, now),
                  name, *stored);
}

std::vector<LogFileRecord> Store::log_files(std::string_view target, std::string_view host) {
  Impl& s = *impl_;
  std::vector<LogFileRecord> result;
  try {
    const auto found = s.find_target(target);
    if (!found) return result;
    auto& list = s.sql("log_files_of_host");
    list.bind_int(1, found->first);
    list.bind_text(2, host);
    while (list.step()) {
      LogFileRecord f;
      f.host = std::string(host);
      f.device = static_cast<uint64_t>(list.get_int(0));
      f.inode = static_cast<uint64_t>(list.get_int(1));
      f.head_bytes = static_cast<uint32_t>(list.get_int(2));
      f.head_hash = from_hex64(list.get_text(3));
      f.read_from = static_cast<uint64_t>(list.get_int(4));
      f.read_to = static_cast<uint64_t>(list.get_int(5));
      f.resume = list.get_text(6);
      f.reader = list.get_text(7);
      f.updated_at = store_time(list.get_int(8));
      result.push_back(std::move(f));
    }
    list.reset();
  } catch (const SqlError& e) {
    s.fail("listing the slow-log files of target '" + std::string(target) + "'", e.what());
  }
  return result;
}

void Store::Impl::write_log_files(int64_t target, const CycleWrite& cycle) {
  for (const LogFileWrite& w : cycle.log_files) {
    const LogFileRecord& f = w.file;
    if (w.expected && (w.expected->host != f.host || w.expected->device != f.device ||
                       w.expected->inode != f.inode)) {
      throw StoreError("a slow-log file write expects the row of another file");
    }
    SqlStatement* statement;
    if (!w.expected) {
      statement = &sql("log_file_insert");
      bind_file(*statement, target, f);
    } else {
      statement = &sql("log_file_update");
      bind_file(*statement, target, f);
      statement->bind_int(12, w.expected->head_bytes);
      statement->bind_text(13, hex64(w.expected->head_hash));
      statement->bind_int(14, static_cast<int64_t>(w.expected->read_to));
    }
    statement->run();
    if (statement->changes() != 1) {
      throw LogFileMoved("store " + db->describe() + ": writing a cycle of target '" +
                         cycle.target + "': another reader stored entries of slow-log file " +
                         "(device " + std::to_string(f.device) + ", inode " +
                         std::to_string(f.inode) + ") since this one last looked");
    }
  }
}

}  // namespace slowscope
