#!/usr/bin/perl
# SPDX-License-Identifier: BSD-2-Clause
# bench/peer_sisimai.pl MBOX: decode MBOX with Debian's Sisimai (libsisimai-perl)
# and print "MESSAGES RECORDS". Sisimai 5 calls it rise(), 4.x make();
# delivered => 1 so that, like bouncer, it keeps delivery reports too.
# Records are counted, not serialised: that favours Sisimai slightly.
use strict;
use warnings;
use Sisimai;
use Sisimai::Mail;

my $path = shift or die "usage: $0 MBOX\n";
my $fn = Sisimai->can('rise') ? 'rise' : 'make';
my $v = Sisimai->$fn($path, 'delivered' => 1) || [];
# Messages in the mbox, counted the way an mbox reader splits them.
my $msgs = 0;
open(my $fh, '<', $path) or die "$path: $!\n";
while (<$fh>) { $msgs++ if /^From /; }
close($fh);
printf "%d %d\n", $msgs, scalar @$v;
