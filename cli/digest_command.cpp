#include "cli/digest_command.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/aggregate/digest_aggregator.h"
#include "analyzer/aggregate/ranking.h"
#include "analyzer/config/setting_rules.h"
#include "analyzer/error/errors.h"
#include "analyzer/event/event_filter.h"
#include "analyzer/time/utc_time.h"
#include "app/digest_store.h"
#include "cli/json_output.h"
#include "cli/output_file.h"
#include "cli/progress_bar.h"
#include "cli/rule_option.h"
#include "connectors/mysql/slow_log_reader.h"
#include "reports/digest_report.h"
#include "reports/html/digest_html.h"
#include "reports/html/time_zone.h"
#include "reports/json/digest_json.h"
#include "reports/text/digest_text.h"

namespace slowscope {
namespace {

struct DigestOptions {
  std::vector<std::string> inputs;
  std::string since;
  std::string until;
  std::string filter;
  std::string order_by = "total";
  std::optional<size_t> limit;
  std::string format = "text";
  std::string output = "-";
  std::string tz = "UTC";
  unsigned threads = 0;
  bool examples = false;
  bool preserve_embedded_numbers = false;
  uint64_t max_statement_bytes = SlowLogParserOptions::kDefaultMaxStatementBytes;
  // --store: ingest into the history store instead of reporting.
  std::string store;
  std::string target;
  std::string interval = "60s";
};

// Text shows the top 20 by default; JSON lists every class unless --limit is given.
constexpr size_t kDefaultTextLimit = 20;
// Classes the HTML page ranks unless --limit says otherwise.
constexpr size_t kDefaultHtmlLimit = 200;

// A file smaller than this is parsed by one thread: splitting costs more than it saves.
constexpr uint64_t kMinBytesPerThread = uint64_t{8} << 20;

// Exit status 3: an input is something else than a MySQL slow log.
constexpr int kExitNotASlowLog = 3;

// An input that is not a slow log (compressed, another program's log, binary data); the
// message says which input and what to do.
class NotASlowLog : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws NotASlowLog when the regular file at `path` starts like a compressed file,
// naming the tool that reads it to a pipe. Pipes and devices are not peeked at: what is
// read from them would be lost to the parse.
void reject_compressed(const std::string& path) {
  struct Format {
    std::string_view magic;
    const char* name;
    const char* cat;
  };
  static constexpr std::array<Format, 4> kFormats = {{
      {std::string_view("\x1f\x8b", 2), "gzip", "zcat"},
      {std::string_view("BZh", 3), "bzip2", "bzcat"},
      {std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6), "xz", "xzcat"},
      {std::string_view("\x28\xb5\x2f\xfd", 4), "zstd", "zstdcat"},
  }};
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // reading it reports the problem
  char head[8] = {};
  const ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  const std::string_view start(head, n > 0 ? static_cast<size_t>(n) : 0);
  for (const Format& f : kFormats) {
    // bzip2: "BZh" and a block size digit, so that a text starting "BZh" is not taken.
    const bool bzip2_digit =
        f.magic != "BZh" || (start.size() > 3 && start[3] >= '1' && start[3] <= '9');
    if (start.starts_with(f.magic) && bzip2_digit) {
      throw NotASlowLog(path + " is " + f.name + "-compressed: pipe it through " + f.cat + " (" +
                        f.cat + " '" + path + "' | slowscope digest -)");
    }
  }
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Everything about the job that is known before reading: fails early on bad arguments.
struct DigestPlan {
  EventFilter filter;
  RankBy rank_by = RankBy::kTotalTime;
  FingerprintOptions fingerprint;
  unsigned threads = 1;
  bool explicit_threads = false;
  uint64_t max_statement_bytes = SlowLogParserOptions::kDefaultMaxStatementBytes;
};

DigestPlan plan(const DigestOptions& o) {
  DigestPlan p;
  refuse_output_over_inputs(o.output, o.inputs, "input");
  if (!o.filter.empty()) p.filter = EventFilter::parse(o.filter);
  std::optional<int64_t> since, until;
  const int64_t now = now_us();
  if (!o.since.empty()) since = parse_time_argument(o.since, now);
  if (!o.until.empty()) until = parse_time_argument(o.until, now);
  p.filter.set_window(since, until);
  p.rank_by = *parse_rank_by(o.order_by);  // CLI11 already checked the choice
  p.fingerprint.preserve_embedded_numbers = o.preserve_embedded_numbers;
  p.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  p.explicit_threads = o.threads != 0;
  p.max_statement_bytes = o.max_statement_bytes;
  for (const auto& input : o.inputs) {
    if (input == "-") continue;
    struct stat st {};
    if (::stat(input.c_str(), &st) != 0)
      throw InvalidInput("cannot read " + input + ": no such file");
    if (S_ISDIR(st.st_mode))
      throw InvalidInput(input + " is a directory; give the slow log file inside it");
  }
  for (const auto& input : o.inputs) {
    if (input != "-") reject_compressed(input);
  }
  return p;
}

// Progress is worth drawing only for inputs that take a while.
constexpr uint64_t kProgressMinBytes = uint64_t{64} << 20;

uint64_t file_size(const std::string& path) {
  struct stat st {};
  return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
}

// One parser thread's share of the work: its own aggregator and filtered count.
struct RangeDigest {
  DigestAggregator aggregate;
  uint64_t filtered = 0;
};

// Reads one input into `all` (events after everything already in it), counting filtered
// entries; returns what reading found.
InputTotals digest_input(const std::string& name, uint32_t input_index, const DigestPlan& plan,
                         DigestAggregator& all, uint64_t& filtered) {
  const uint64_t size = file_size(name);
  // An explicit --threads is obeyed; the default leaves small files to one thread.
  unsigned threads = plan.threads;
  if (!plan.explicit_threads)
    threads =
        static_cast<unsigned>(std::clamp<uint64_t>(size / kMinBytesPerThread, 1, plan.threads));

  SlowLogReadOptions read_options;
  read_options.parser.max_statement_bytes = static_cast<size_t>(plan.max_statement_bytes);
  // The ranges' examples get their whole-input line numbers below, when merged.
  read_options.range_relative_lines = true;
  std::optional<ProgressBar> progress;
  if (size >= kProgressMinBytes || name == "-") {
    progress.emplace(name, size);
    if (progress->enabled())
      read_options.parser.on_progress = [&progress](uint64_t done) { progress->update(done); };
  }

  // Each range gets its own aggregator, filled by one thread; they are merged in range
  // order afterwards, which gives exactly the one-thread result.
  std::vector<std::unique_ptr<RangeDigest>> ranges;
  const EventFilter& filter = plan.filter;
  const bool filtering = !filter.accepts_everything();
  auto make_sink = [&](size_t index) -> SlowLogParser::Sink {
    while (ranges.size() <= index)
      ranges.push_back(
          std::make_unique<RangeDigest>(RangeDigest{DigestAggregator(plan.fingerprint)}));
    RangeDigest* range = ranges[index].get();
    return [range, &filter, filtering, input_index](const QueryEvent& event) {
      if (filtering && !filter.accepts(event)) {
        ++range->filtered;
        return;
      }
      range->aggregate.add(event, input_index);
    };
  };
  ParallelParseResult result = read_slow_log_parallel(name, threads, make_sink, read_options);
  if (progress) progress->finish();

  for (size_t i = 0; i < ranges.size(); ++i) {
    ranges[i]->aggregate.shift_lines(result.range_first_lines.at(i) - 1);
    all.merge(std::move(ranges[i]->aggregate));
    filtered += ranges[i]->filtered;
  }
  InputTotals totals;
  totals.name = name;
  totals.bytes = result.total.bytes;
  totals.lines = result.total.lines;
  totals.entries = result.total.events;
  totals.skipped = result.total.skipped;
  totals.first_skipped_lines = result.total.first_skipped_lines;
  totals.truncated_last_entry = result.total.truncated_last_entry;
  totals.truncated_statements = result.total.truncated_statements;
  totals.bad_query_time = result.total.bad_query_time;
  totals.first_bad_query_time_line = result.total.first_bad_query_time_line;
  totals.headerless = result.total.headerless;
  totals.first_headerless_line = result.total.first_headerless_line;
  // Not a slow log: text, but not one header line. An empty input, blank lines or the
  // server's start-up banner alone are a slow log without entries (a rotated log).
  if (!result.total.saw_header && result.total.saw_text) {
    throw NotASlowLog(
        (name == "-" ? std::string("standard input") : name) +
        " is not a MySQL slow log: no \"# Time:\", \"# User@Host:\" or \"# Query_time:\" "
        "header line in it" +
        (name == "-" ? " (if it is compressed, decompress it into the pipe: zcat FILE | "
                       "slowscope digest -)"
                     : ""));
  }
  return totals;
}

DigestReport run_digest(const DigestOptions& o, const DigestPlan& p) {
  DigestReport report;
  report.ranked_by = p.rank_by;
  report.literal_examples = o.examples;
  report.max_statement_bytes = p.max_statement_bytes;
  DigestAggregator all(p.fingerprint);
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    report.inputs.push_back(
        digest_input(o.inputs[i], static_cast<uint32_t>(i), p, all, report.filtered));
  }
  report.summary = all.summary();
  report.classes = all.take_classes();
  report.total_classes = report.classes.size();
  rank_classes(report.classes, p.rank_by);
  const size_t limit = o.limit              ? *o.limit
                       : o.format == "text" ? kDefaultTextLimit
                       : o.format == "html" ? kDefaultHtmlLimit
                                            : SIZE_MAX;
  if (report.classes.size() > limit) report.classes.resize(limit);
  return report;
}

std::string render(const DigestReport& report, const std::string& format, const std::string& tz) {
  if (format == "json") {
    return json_report_text(digest_to_json(report));
  }
  if (format == "html") return html::render_digest_html(report, html::ReportZone(tz));
  std::ostringstream out;
  write_digest_text(out, report);
  return out.str();
}

void warn_about_input(const InputTotals& input) {
  if (input.skipped) {
    std::string where;
    for (uint64_t line : input.first_skipped_lines)
      where += (where.empty() ? "" : ", ") + std::to_string(line);
    spdlog::warn("{}: skipped {} unreadable stretch(es), first at line {}", input.name,
                 input.skipped, where);
  }
  if (input.truncated_last_entry)
    spdlog::warn("{}: ends inside an entry (still being written?)", input.name);
  if (input.truncated_statements)
    spdlog::warn("{}: statements longer than --max-statement-bytes, cut to it and counted: {}",
                 input.name, input.truncated_statements);
  if (input.bad_query_time)
    spdlog::warn(
        "{}: entries skipped because their Query_time is not a number >= 0: {}, first "
        "at line {}",
        input.name, input.bad_query_time, input.first_bad_query_time_line);
  if (input.headerless)
    spdlog::warn(
        "{}: statements without a slow-log header (bare SQL) skipped: {}, first at "
        "line {}",
        input.name, input.headerless, input.first_headerless_line);
}

// digest --store: checks the arguments that apply, then ingests.
int run_store(const DigestOptions& o) {
  std::string problem;
  if (o.target.empty()) problem = "--store needs --target NAME (the server the logs come from)";
  if (!o.since.empty() || !o.until.empty() || !o.filter.empty()) {
    problem = "--store stores whole files: --since, --until and --filter do not apply";
  }
  const auto interval_us = parse_duration(o.interval);
  if (!interval_us || *interval_us < 1'000'000 || *interval_us % 1'000'000 != 0) {
    problem = "--interval must be a whole number of seconds, at least 1s (e.g. 60s)";
  }
  for (const auto& input : o.inputs) {
    if (input == "-") problem = "--store reads files, not standard input";
  }
  if (o.max_statement_bytes != SlowLogParserOptions::kDefaultMaxStatementBytes) {
    problem = "--store reads with the collector's limits: --max-statement-bytes does not apply";
  }
  if (!problem.empty()) {
    spdlog::error("{}", problem);
    return 2;
  }
  return store_slow_logs(
      {o.inputs, o.store, o.target, std::chrono::seconds(*interval_us / 1'000'000), o.examples});
}

}  // namespace

void add_digest_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DigestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "digest",
      "Rank the query shapes of MySQL, MariaDB or Percona Server slow logs, as pt-query-digest "
      "does (same fingerprints and query ids).");
  cmd->footer(
      "Examples:\n"
      "  slowscope digest /var/log/mysql/mysql-slow.log\n"
      "  slowscope digest slow.log --since 12h --order-by p95 --limit 5\n"
      "  zcat slow.log.1.gz | slowscope digest -\n"
      "  slowscope digest a.log b.log --format json --output digest.json\n"
      "\n"
      "Times (--since/--until): 2024-03-01, '2024-03-01 12:00', 2024-03-01T12:00:00Z, +hh:mm\n"
      "offsets, epoch seconds, or a duration ago: 30m, 12h, 7d. Log times without a zone are\n"
      "taken as UTC.\n"
      "Literal statement text can hold personal data: reports show each shape's fingerprint\n"
      "unless --examples is given.\n"
      "A statement longer than --max-statement-bytes is cut to it; its entry still counts, in\n"
      "the class of the cut text's fingerprint. Entries whose Query_time is not a number >= 0\n"
      "and statements without any slow-log header line are skipped and counted.\n"
      "--output never replaces an input: naming one of them (the same file under any path)\n"
      "is refused before anything is read.\n"
      "Exit status: 0 done (also for an empty log or one with only the server's start-up\n"
      "banner), 2 bad arguments (also an --output that is an input) or unreadable input,\n"
      "3 an input is not a MySQL slow log (compressed: pipe it through zcat; another\n"
      "program's log; binary data).");
  cmd->add_option("inputs", options->inputs, "Slow log files; - reads standard input")
      ->required()
      ->type_name("FILE...");
  cmd->add_option("--since", options->since, "Only entries at or after this time")
      ->type_name("TIME");
  cmd->add_option("--until", options->until, "Only entries before this time")->type_name("TIME");
  cmd->add_option("--filter", options->filter,
                  "Only entries matching all keys: db=…,user=…,host=… (repeat a key for "
                  "either value; * is a wildcard)")
      ->type_name("SPEC");
  cmd->add_option("--order-by", options->order_by, "Rank shapes by this measure")
      ->check(CLI::IsMember({"total", "mean", "calls", "p95", "rows_examined"}))
      ->capture_default_str();
  add_rule_option(cmd, "--limit", &options->limit, read_positive_int,
                  "Show the top N shapes (text default: 20; HTML: 200; JSON: all)")
      ->type_name("N");
  cmd->add_option("--format", options->format,
                  "Report format (html: one self-contained page, best with --output)")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->capture_default_str();
  cmd->add_option("--tz", options->tz,
                  "Show the HTML page's times in this IANA zone (Area/City, e.g. Europe/Berlin)")
      ->capture_default_str();
  cmd->add_option("--output,-o", options->output,
                  "Write the report here instead of standard output (replaced atomically)")
      ->type_name("PATH");
  cmd->add_option("--threads", options->threads,
                  "Threads parsing each file (default: all cores); results do not depend on it")
      ->check(CLI::Range(1u, 256u))
      ->type_name("N");
  cmd->add_flag("--examples", options->examples,
                "Show each shape's slowest statement with its literal values (with --store: "
                "keep one literal statement per shape in the store)");
  cmd->add_flag("--preserve-embedded-numbers", options->preserve_embedded_numbers,
                "Keep digits inside identifiers (sbtest1 stays sbtest1, not sbtest?)");
  // The validators' own descriptions would clutter the option's line; the text says it all.
  cmd->add_option("--max-statement-bytes", options->max_statement_bytes,
                  "Cut statements longer than this (their entries still count), e.g. 512KiB, "
                  "64MiB, 1GiB; 1KiB to 2GiB. Header lines longer than it are skipped. Memory "
                  "per parsing thread is about twice this")
      ->transform(CLI::Validator(CLI::AsSizeValue(false)).description(""))
      ->check(CLI::Validator(CLI::Range(uint64_t{1} << 10, uint64_t{1} << 31)).description(""))
      ->default_str("16MiB")
      ->type_name("SIZE");

  cmd->add_option("--store", options->store,
                  "Instead of a report, add the entries to this history store (sqlite:PATH or "
                  "postgresql://...) as samples of --target; a file's position is remembered")
      ->type_name("STORE");
  CLI::Option* target = add_rule_option(cmd, "--target", &options->target, read_target_name,
                                        "With --store: the MySQL target the logs belong to")
                            ->type_name("NAME");
  CLI::Option* interval =
      cmd->add_option("--interval", options->interval, "With --store: the sample interval")
          ->capture_default_str()
          ->type_name("DURATION");

  cmd->callback([options, exit_code, target, interval] {
    if (!options->store.empty()) {
      *exit_code = run_store(*options);
      return;
    }
    // Without --store they would be ignored: a forgotten --store must not pass for a report
    // of what was meant to be stored.
    for (const CLI::Option* only_with_store : {target, interval}) {
      if (only_with_store->count() > 0) {
        spdlog::error("{} applies only with --store (the history store to add the logs to)",
                      only_with_store->get_name());
        *exit_code = 2;
        return;
      }
    }
    DigestPlan p;
    try {
      if (options->format == "html") html::ReportZone{options->tz};  // a bad --tz: before reading
      p = plan(*options);
    } catch (const NotASlowLog& e) {
      spdlog::error("{}", e.what());
      *exit_code = kExitNotASlowLog;
      return;
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = 2;
      return;
    }
    try {
      DigestReport report = run_digest(*options, p);
      // The text report's header says the same: on a terminal the log would repeat it
      // right above it. Elsewhere (a file, a pipe, JSON) the log is what a person sees.
      const bool header_on_terminal = options->format == "text" && options->output == "-" &&
                                      ::isatty(STDOUT_FILENO) != 0 && ::isatty(STDERR_FILENO) != 0;
      if (!header_on_terminal) {
        for (const auto& input : report.inputs) warn_about_input(input);
        if (report.summary.saturated_values)
          spdlog::warn("attribute values beyond 9.2e12 (a corrupt log?) counted as 9.2e12: {}",
                       report.summary.saturated_values);
      }
      write_output(options->output, render(report, options->format, options->tz));
      if (options->output != "-") spdlog::info("wrote {}", options->output);
      *exit_code = 0;
    } catch (const NotASlowLog& e) {
      spdlog::error("{}", e.what());
      *exit_code = kExitNotASlowLog;
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = 2;
    }
  });
}

}  // namespace slowscope
