#!/usr/bin/perl
# Usage: pt-fingerprint.pl TOOL EMBEDDED < statements > cases
#
# Fingerprints statements with the QueryRewriter of a percona-toolkit TOOL (a path to
# pt-query-digest or pt-fingerprint, loaded as a module, so every statement reaches
# QueryRewriter::fingerprint intact and as bytes). EMBEDDED is 1 for
# --preserve-embedded-numbers (match_embedded_numbers), else 0.
#
# Input: one statement per line, escaped (\\ \n \t \r \xNN); lines starting with ## and
# empty lines are skipped. Output: escaped statement TAB escaped fingerprint TAB query id
# (pt's make_checksum: uppercase hex MD5). Output escapes: \\ \n \t \r and \xNN for
# other control bytes; bytes >= 0x80 as they are when the text is valid UTF-8, \xNN
# otherwise; a leading '#' as \x23.
use strict;
use warnings;
use Digest::MD5 qw(md5_hex);

my ($tool, $embedded) = @ARGV;
die "usage: $0 TOOL EMBEDDED\n" unless defined $embedded;
require $tool;
my $qr = QueryRewriter->new(match_embedded_numbers => $embedded);

sub unescape {
  my ($s) = @_;
  $s =~ s{\\(?:x([0-9a-fA-F]{2})|(.))}{
    defined $1 ? chr(hex $1)
      : $2 eq "n" ? "\n" : $2 eq "t" ? "\t" : $2 eq "r" ? "\r" : $2
  }ges;
  return $s;
}

sub escape {
  my ($s) = @_;
  my $copy = $s;
  my $utf8 = utf8::decode($copy);
  $s =~ s{([\x00-\x1f\x7f\\])|([\x80-\xff])}{
    defined $2 ? ($utf8 ? $2 : sprintf("\\x%02x", ord $2))
      : $1 eq "\\" ? "\\\\" : $1 eq "\n" ? "\\n" : $1 eq "\t" ? "\\t"
      : $1 eq "\r" ? "\\r" : sprintf("\\x%02x", ord $1)
  }ge;
  $s =~ s/\A#/\\x23/;
  return $s;
}

binmode STDIN;
binmode STDOUT;
while (my $line = <STDIN>) {
  chomp $line;
  next if $line =~ m/\A##/ || $line eq "";
  my $query = unescape($line);
  my $fp = $qr->fingerprint($query);
  print escape($query), "\t", escape($fp), "\t", uc(md5_hex($fp)), "\n";
}
