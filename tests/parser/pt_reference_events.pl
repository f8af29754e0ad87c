#!/usr/bin/env perl
# Prints the events pt-query-digest would aggregate from one slow log, one per line, so that
# the parser tests can compare slowscope's events with the reference implementation.
#
# Usage: pt_reference_events.pl /path/to/pt-query-digest FILE
#
# It runs pt-query-digest's own SlowLogParser and then the pipeline stages that decide
# which events are counted and what they carry: sanitize_event, the fingerprint stage
# (events whose arg is false are dropped), --attribute-aliases db|Schema and
# --inherit-attributes db,ts; then it leaves out what slowscope deliberately does not count
# (text without header lines, entries with a bad Query_time; see connectors/mysql/
# slow_log_parser.h). Output: one line per event, fields separated by TAB as
# key=value, sorted by key, values escaped (\\ \t \n \r and \xHH for other control bytes).
use strict;
use warnings;
use Time::Local qw(timegm);

my ($pt, $file) = @ARGV;
die "usage: $0 PT_QUERY_DIGEST FILE\n" unless $pt && $file;
require $pt;

sub esc {
   my ($s) = @_;
   $s =~ s/\\/\\\\/g;
   $s =~ s/\t/\\t/g;
   $s =~ s/\n/\\n/g;
   $s =~ s/\r/\\r/g;
   $s =~ s/([\x00-\x1f\x7f])/sprintf('\\x%02x', ord($1))/ge;
   return $s;
}

open my $fh, '<', $file or die "Cannot open $file: $!";
binmode $fh;
my $parser = SlowLogParser->new();
my %last;
my $more = 1;
while ($more) {
   my $event = $parser->parse_event(
      next_event => sub { return <$fh>; },
      tell       => sub { return tell $fh; },
      oktorun    => sub { $more = $_[0]; },
   );
   last unless $event;
   pt_query_digest::sanitize_event($event);
   next unless $event->{arg};    # the fingerprint stage drops these
   # slowscope's deliberate difference: text without any header line (no Time,
   # User@Host, administrator command or "# Name: value" line) is not an entry, and
   # passes nothing on. Header attributes are the capitalised names, ts, user and host.
   next unless grep { m/^[A-Z]/ || m/^(?:ts|user|host)$/ } keys %$event
      or ($event->{cmd} || '') eq 'Admin';
   if (exists $event->{db}) {
      delete $event->{Schema};
   }
   elsif (exists $event->{Schema}) {
      $event->{db} = delete $event->{Schema};
   }
   foreach my $attrib (qw(db ts)) {
      if (defined $event->{$attrib}) {
         $last{$attrib} = $event->{$attrib};
      }
      elsif (defined $last{$attrib}) {
         $event->{$attrib} = $last{$attrib};
      }
   }
   # ... and an entry whose Query_time is not a non-negative number is not counted,
   # though what it passes on stands.
   if (defined(my $qt = $event->{Query_time})) {
      next unless $qt =~ m/^(?:\d+|[+-]?\d+\.\d*(?:E[+-]?\d+)?)$/i && $qt >= 0 && $qt < 9**9**9;
   }
   delete @{$event}{qw(pos_in_log bytes ip)};
   delete $event->{db} if defined $event->{db} && $event->{db} eq '';
   if (defined $event->{ts}) {
      my $ts = $event->{ts};
      if ($ts =~ m/^(\d\d)(\d\d)(\d\d)\s+(\d?\d):(\d\d):(\d\d)$/) {
         my $year = $1 < 70 ? 2000 + $1 : 1900 + $1;
         $event->{ts} = timegm($6, $5, $4, $3, $2 - 1, $year);
      }
      elsif ($ts =~ m/^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)$/) {
         $event->{ts} = timegm($6, $5, $4, $3, $2 - 1, $1);
      }
   }
   my %special = map { $_ => 1 } qw(arg cmd db ts user host);
   foreach my $key (keys %$event) {
      next if $special{$key};
      my $v = $event->{$key};
      if (defined $v && $v =~ m/^(?:\d+|[+-]?\d+\.\d*(?:E[+-]?\d+)?)$/i) {
         $event->{$key} = sprintf('%.17g', $v);
      }
   }
   print join("\t", map { "$_=" . esc(defined $event->{$_} ? $event->{$_} : '') }
                    sort keys %$event), "\n";
}
