// The alert outbox in the store (sql/store/alert_*.sql; schema in */007_alert_outbox.sql):
// events queued in the transaction of the change that caused them, and per sink where their
// delivery stands. Senders claim a delivery before they attempt it, so that two processes
// sending from one store never both send it; what a receiver acknowledged is marked in the
// attempt's record, so that a restart does not send it again.
#include "analyzer/store/store_impl.h"

namespace slowscope {
namespace {

// An outbox event from columns 0..7 of `row` (alert_deliveries_due.sql's order).
OutboxAlert read_alert(const SqlStatement& row) {
  OutboxAlert alert;
  alert.id = row.get_int(0);
  alert.target = row.get_text(1);
  alert.dedup_key = row.get_text(2);
  alert.action = row.get_text(3);
  alert.severity = row.get_text(4);
  alert.summary = row.get_text(5);
  alert.document = row.get_text(6);
  alert.created_at = store_time(row.get_int(7));
  return alert;
}

// A delivery of sink `sink` from columns 0..13 of `row` (alert_deliveries_due.sql's order).
AlertDelivery read_delivery(const SqlStatement& row, std::string sink) {
  AlertDelivery d;
  d.alert = read_alert(row);
  d.sink = std::move(sink);
  d.state = delivery_state_from_string(row.get_text(8)).value_or(DeliveryState::kPending);
  d.attempts = static_cast<int>(row.get_int(9));
  if (!row.is_null(10)) d.first_attempt_at = store_time(row.get_int(10));
  d.next_attempt_at = store_time(row.get_int(11));
  d.last_error = row.get_text(12);
  d.updated_at = store_time(row.get_int(13));
  return d;
}

}  // namespace

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "pending";
}

std::optional<DeliveryState> delivery_state_from_string(std::string_view text) {
  for (DeliveryState state :
       {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kFailed}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

void write_alerts(Store::Impl& s, int64_t target, const std::vector<OutboxAlert>& alerts,
                  const std::vector<Checkpoint>& checkpoints, StoreTime at) {
  for (const OutboxAlert& alert : alerts) {
    if (alert.sinks.empty()) continue;
    auto& insert = s.sql("alert_event_insert");
    insert.bind_text(1, alert.target);
    insert.bind_text(2, alert.dedup_key);
    insert.bind_text(3, alert.action);
    insert.bind_text(4, alert.severity);
    insert.bind_text(5, alert.summary);
    insert.bind_text(6, alert.document);
    insert.bind_int(7, epoch_seconds(alert.created_at));
    if (!insert.step()) throw SqlError("alert_event_insert returned no id");
    const int64_t id = insert.get_int(0);
    insert.reset();
    for (const std::string& sink : alert.sinks) {
      auto& deliver = s.sql("alert_delivery_insert");
      deliver.bind_int(1, id);
      deliver.bind_text(2, sink);
      deliver.bind_int(3, epoch_seconds(at));
      deliver.run();
    }
  }
  for (const Checkpoint& checkpoint : checkpoints) put_checkpoint_row(s, target, checkpoint, at);
}

void Store::queue_alerts(std::string_view target, const std::vector<OutboxAlert>& alerts,
                         const std::vector<Checkpoint>& checkpoints, StoreTime at) {
  Impl& s = *impl_;
  s.in_transaction("queueing alert events of target '" + std::string(target) + "'",
                   [&] { write_alerts(s, s.target_id(target), alerts, checkpoints, at); });
}

std::vector<AlertDelivery> Store::claim_deliveries(std::string_view sink, std::string_view sender,
                                                   StoreTime now, std::chrono::seconds hold,
                                                   int limit) {
  Impl& s = *impl_;
  return s.in_transaction("claiming alert deliveries of sink '" + std::string(sink) + "'", [&] {
    auto& due = s.sql("alert_deliveries_due");
    due.bind_text(1, sink);
    due.bind_int(2, epoch_seconds(now));
    due.bind_int(3, limit);
    std::vector<AlertDelivery> candidates;
    while (due.step()) candidates.push_back(read_delivery(due, std::string(sink)));
    due.reset();
    std::vector<AlertDelivery> claimed;
    for (AlertDelivery& d : candidates) {
      auto& claim = s.sql("alert_delivery_claim");
      claim.bind_int(1, d.alert.id);
      claim.bind_text(2, sink);
      claim.bind_text(3, sender);
      claim.bind_int(4, epoch_seconds(now + hold));
      claim.bind_int(5, epoch_seconds(now));
      claim.run();
      // Another sender's claim committed after our read: it is theirs.
      if (claim.changes() == 1) claimed.push_back(std::move(d));
    }
    return claimed;
  });
}

bool Store::record_attempt(int64_t event_id, std::string_view sink, std::string_view sender,
                           const DeliveryAttempt& attempt) {
  Impl& s = *impl_;
  return s.in_transaction("recording a delivery to sink '" + std::string(sink) + "'", [&] {
    auto& record = s.sql("alert_delivery_record");
    record.bind_int(1, event_id);
    record.bind_text(2, sink);
    record.bind_text(3, sender);
    record.bind_text(4, to_string(attempt.state));
    record.bind_int(5,
                    epoch_seconds(attempt.state == DeliveryState::kPending ? attempt.next_attempt_at
                                                                           : attempt.at));
    record.bind_text(6, attempt.error);
    record.bind_int(7, epoch_seconds(attempt.at));
    record.run();
    return record.changes() == 1;
  });
}

std::vector<AlertDelivery> Store::deliveries(const OutboxQuery& query) {
  Impl& s = *impl_;
  try {
    auto& list = s.sql("alert_deliveries_list");
    list.bind_text(1, query.sink.value_or(""));
    list.bind_text(2, query.state ? to_string(*query.state) : "");
    list.bind_int(3, epoch_seconds(query.since));
    list.bind_int(4, query.limit);
    std::vector<AlertDelivery> out;
    while (list.step()) out.push_back(read_delivery(list, list.get_text(14)));
    list.reset();
    return out;
  } catch (const SqlError& e) {
    s.fail("listing the alert outbox", e.what());
  }
}

std::vector<DeliveryCount> Store::undelivered_counts() {
  Impl& s = *impl_;
  try {
    auto& counts = s.sql("alert_deliveries_undelivered");
    std::vector<DeliveryCount> out;
    while (counts.step()) {
      const std::optional<DeliveryState> state = delivery_state_from_string(counts.get_text(1));
      if (!state) continue;  // a state this version does not know: not its backlog to count
      out.push_back({counts.get_text(0), *state, counts.get_int(2)});
    }
    counts.reset();
    return out;
  } catch (const SqlError& e) {
    s.fail("counting the alert outbox's backlog", e.what());
  }
}

std::vector<OutboxAlert> Store::firing_alerts(std::string_view sink) {
  Impl& s = *impl_;
  try {
    auto& firing = s.sql("alert_events_firing");
    firing.bind_text(1, sink);
    std::vector<OutboxAlert> out;
    while (firing.step()) out.push_back(read_alert(firing));
    firing.reset();
    return out;
  } catch (const SqlError& e) {
    s.fail("listing the alerts firing at sink '" + std::string(sink) + "'", e.what());
  }
}

}  // namespace slowscope
