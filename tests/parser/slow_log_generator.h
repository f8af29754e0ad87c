// Deterministic synthetic slow logs for the parser tests: a mix of the MySQL 5.1, 5.7,
// 8.0 (log_slow_extra), Percona Server and MariaDB formats with the awkward parts real
// logs have (missing Time lines, entries without statement, administrator commands,
// multi-line statements, rare `use` lines, start-up banners after a restart), or a plain
// MariaDB sysbench log for throughput runs. Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace slowscope::testing {

enum class GeneratedLog { kMixed, kMariaDbSysbench };

inline std::string GenerateSlowLog(size_t target_bytes, GeneratedLog kind, uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t n) { return static_cast<uint64_t>(rng() % n); };
  std::string out;
  out.reserve(target_bytes + 4096);
  char buf[1024];
  auto add = [&](const char* fmt, auto... args) {
    int n = std::snprintf(buf, sizeof buf, fmt, args...);
    out.append(buf, static_cast<size_t>(n));
  };
  int64_t now = 1700000000;
  const char* dbs[] = {"sbtest", "shop", "crm", "`quoted_db`"};
  if (kind == GeneratedLog::kMariaDbSysbench) {
    out += "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian). started with:\n";
    out += "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n";
    out += "Time\t\t    Id Command\tArgument\n";
    bool first = true;
    while (out.size() < target_bytes) {
      if (first || pick(20) == 0) {
        ++now;
        int64_t day = now % 86400;
        add("# Time: 231114 %2d:%02d:%02d\n", static_cast<int>(day / 3600),
            static_cast<int>(day / 60 % 60), static_cast<int>(day % 60));
      }
      unsigned thread = 10 + static_cast<unsigned>(pick(16));
      add("# User@Host: sbtest[sbtest] @ localhost [127.0.0.1]\n"
          "# Thread_id: %u  Schema: sbtest  QC_hit: No\n"
          "# Query_time: 0.%06u  Lock_time: 0.%06u  Rows_sent: %u  Rows_examined: %u\n"
          "# Rows_affected: %u  Bytes_sent: %u\n",
          thread, static_cast<unsigned>(pick(999999)), static_cast<unsigned>(pick(999)),
          static_cast<unsigned>(pick(100)), static_cast<unsigned>(pick(1000)),
          static_cast<unsigned>(pick(2)), static_cast<unsigned>(pick(20000)));
      if (first) out += "use sbtest;\n";
      first = false;
      add("SET timestamp=%lld;\n", static_cast<long long>(now));
      unsigned id = static_cast<unsigned>(pick(100000));
      switch (pick(8)) {
        case 0:
          add("SELECT c FROM sbtest%u WHERE id BETWEEN %u AND %u;\n",
              static_cast<unsigned>(pick(8) + 1), id, id + 99);
          break;
        case 1:
          add("SELECT SUM(k) FROM sbtest%u WHERE id BETWEEN %u AND %u;\n",
              static_cast<unsigned>(pick(8) + 1), id, id + 99);
          break;
        case 2:
          add("UPDATE sbtest%u SET k=k+1 WHERE id=%u;\n", static_cast<unsigned>(pick(8) + 1), id);
          break;
        case 3:
          add("INSERT INTO sbtest%u (id, k, c, pad) VALUES (%u, %u, "
              "'83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-"
              "41576422241-93426793964-56405065102-33518432330', "
              "'67847967377-48000963322-62604785301-91415491898-96926520291');\n",
              static_cast<unsigned>(pick(8) + 1), id, static_cast<unsigned>(pick(100000)));
          break;
        case 4:
          out += "COMMIT;\n";
          break;
        default:
          add("SELECT c FROM sbtest%u WHERE id=%u;\n", static_cast<unsigned>(pick(8) + 1), id);
      }
    }
    return out;
  }

  out +=
      "/usr/sbin/mysqld, Version: 5.7.44-log (MySQL Community Server (GPL)). started with:\n"
      "Tcp port: 3306  Unix socket: /var/lib/mysql/mysql.sock\n"
      "Time                 Id Command    Argument\n";
  bool have_db = false;
  while (out.size() < target_bytes) {
    now += static_cast<int64_t>(pick(3));
    const uint64_t format = pick(5);
    const bool time_line = format != 0 || pick(3) == 0;
    if (time_line) {
      int64_t day = now % 86400;
      int h = static_cast<int>(day / 3600), m = static_cast<int>(day / 60 % 60),
          s = static_cast<int>(day % 60);
      switch (format) {
        case 0:
          add("# Time: 231114 %2d:%02d:%02d\n", h, m, s);
          break;
        case 1:
        case 2:
          add("# Time: 2023-11-14T%02d:%02d:%02d.%06uZ\n", h, m, s,
              static_cast<unsigned>(pick(1000000)));
          break;
        case 3:
          add("# Time: 2023-11-14T%02d:%02d:%02d.%06u+01:00\n", (h + 1) % 24, m, s,
              static_cast<unsigned>(pick(1000000)));
          break;
        default:
          add("# Time: 231114 %02d:%02d:%02d\n", h, m, s);
      }
    }
    const unsigned id = 3 + static_cast<unsigned>(pick(40));
    const char* user = pick(10) == 0 ? "report" : "app";
    if (format == 4) {
      add("# User@Host: %s[%s] @ localhost [127.0.0.1]\n"
          "# Thread_id: %u  Schema: %s  QC_hit: No\n",
          user, user, id, pick(7) == 0 ? "" : dbs[pick(4)]);
    } else {
      add("# User@Host: %s[%s] @ web%u.internal [10.0.0.%u]  Id: %5u\n", user, user,
          static_cast<unsigned>(pick(4)), static_cast<unsigned>(pick(250)), id);
    }
    if (format == 3) add("# Schema: %s  Last_errno: 0  Killed: 0\n", dbs[pick(4)]);
    add("# Query_time: %u.%06u  Lock_time: 0.%06u Rows_sent: %u  Rows_examined: %u",
        static_cast<unsigned>(pick(3)), static_cast<unsigned>(pick(1000000)),
        static_cast<unsigned>(pick(1000)), static_cast<unsigned>(pick(50)),
        static_cast<unsigned>(pick(100000)));
    if (format == 2) {
      add(" Thread_id: %u Errno: 0 Killed: 0 Bytes_received: %u Bytes_sent: %u Read_first: 0 "
          "Start: 2023-11-14T00:00:00.000000Z End: 2023-11-14T00:00:01.000000Z",
          id, static_cast<unsigned>(pick(500)), static_cast<unsigned>(pick(9000)));
    }
    out += '\n';
    if (format == 4)
      add("# Rows_affected: %u  Bytes_sent: %u\n", static_cast<unsigned>(pick(3)),
          static_cast<unsigned>(pick(5000)));
    if (format == 3) {
      add("#   InnoDB_IO_r_ops: %u  InnoDB_IO_r_bytes: %u  InnoDB_IO_r_wait: 0.%06u\n"
          "# Log_slow_rate_type: query  Log_slow_rate_limit: %u\n",
          static_cast<unsigned>(pick(100)), static_cast<unsigned>(pick(100000)),
          static_cast<unsigned>(pick(100000)), static_cast<unsigned>(1 + pick(10)));
    }
    if (!have_db || pick(400) == 0) {
      add("use %s;\n", dbs[pick(4)]);
      have_db = true;
    }
    add("SET timestamp=%lld;\n", static_cast<long long>(now));
    const uint64_t kind_of_statement = pick(40);
    if (kind_of_statement == 0) {
      out += "# administrator command: Quit;\n";
    } else if (kind_of_statement == 1) {
      // An entry without statement.
    } else if (kind_of_statement == 2) {
      add("SELECT o.id, o.total\n  FROM orders o\n WHERE o.customer_id = %u\n ORDER BY o.id;\n",
          static_cast<unsigned>(pick(10000)));
    } else if (kind_of_statement == 3) {
      out += "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND;\n";
    } else {
      add("SELECT * FROM t%u WHERE id = %u;\n", static_cast<unsigned>(pick(20)),
          static_cast<unsigned>(pick(100000)));
    }
    if (pick(2000) == 0 && kind_of_statement > 1) {
      out +=
          "/usr/sbin/mysqld, Version: 5.7.44-log (MySQL Community Server (GPL)). started with:\n"
          "Tcp port: 3306  Unix socket: /var/lib/mysql/mysql.sock\n"
          "Time                 Id Command    Argument\n";
    }
  }
  return out;
}

}  // namespace slowscope::testing
