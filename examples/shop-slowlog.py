#!/usr/bin/python3
"""Writes a synthetic MariaDB slow query log of a small shop's application: eight query
shapes over 12 hours (2026-12-06 04:00 to 16:00 UTC), call rates with a daily swing and
noise, latencies lognormal around each shape's median, and one regression: from 12:00 the
order-history query runs 6x slower (the release v2.14.0 of the example).

Usage: examples/shop-slowlog.py > shop-slow.log   (about 40 MB, 126,000 entries)

The same seed writes the same log, so the README's screenshot can be made again
(scripts/readme-screenshot). Literal values are made up.
"""
import math
import random
import sys
import time

START = 1796529600  # 2026-12-06 04:00 UTC
HOURS = 12
RELEASE = 1796558400  # 2026-12-06 12:00 UTC

# statement template, calls per minute, median ms, log-sd, rows sent, rows examined,
# slowdown after the release
SHAPES = [
    ("SELECT id, status, total FROM orders WHERE customer_id = {n} "
     "ORDER BY created_at DESC LIMIT 20", 40, 1.2, 0.5, 20, 20, 6.0),
    ("SELECT p.id, p.name, p.price FROM products p JOIN stock s ON s.product_id = p.id "
     "WHERE p.category_id = {n} AND s.quantity > 0", 25, 3.5, 0.6, 48, 480, 1.0),
    ("UPDATE carts SET updated_at = NOW(), item_count = item_count + 1 WHERE id = {n}",
     30, 0.8, 0.4, 0, 1, 1.0),
    ("INSERT INTO order_items (order_id, product_id, quantity, price) "
     "VALUES ({n}, {m}, 1, 19.99)", 20, 0.6, 0.4, 0, 0, 1.0),
    ("SELECT COUNT(*) FROM sessions WHERE user_id = {n} AND expires_at > NOW()",
     35, 0.4, 0.5, 1, 30, 1.0),
    ("SELECT * FROM customers WHERE email = 'user{n}@example.com'", 15, 0.5, 0.4, 1, 1, 1.0),
    ("SELECT r.rating, r.body FROM reviews r WHERE r.product_id = {n} "
     "ORDER BY r.helpful DESC LIMIT 10", 12, 2.0, 0.7, 10, 300, 1.0),
    ("DELETE FROM sessions WHERE expires_at < NOW() - INTERVAL 1 DAY", 0.5, 40.0, 0.3, 0,
     20000, 1.0),
]


def main():
    rng = random.Random(7)
    out = sys.stdout
    out.write("/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian 12). started with:\n"
              "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
              "Time\t\t    Id Command\tArgument\n")
    for minute in range(HOURS * 60):
        minute_start = START + minute * 60
        swing = 1 + 0.4 * math.sin((minute / 60 - 3) / 12 * math.pi)
        entries = []
        for shape, (_, rate, median, sd, sent, examined, slowdown) in enumerate(SHAPES):
            mean = rate * swing
            for _ in range(max(0, int(rng.gauss(mean, math.sqrt(mean) + 0.3)))):
                at = minute_start + rng.random() * 60
                ms = median * math.exp(rng.gauss(0, sd))
                if at >= RELEASE:
                    ms *= slowdown
                entries.append((at, shape, ms, sent, examined))
        entries.sort()
        second = None
        for at, shape, ms, sent, examined in entries:
            if int(at) != second:
                second = int(at)
                out.write(time.strftime("# Time: %y%m%d %H:%M:%S\n", time.gmtime(second)))
            out.write("# User@Host: shop[shop] @ app-1 [10.0.0.5]\n"
                      "# Thread_id: %d  Schema: shop  QC_hit: No\n"
                      "# Query_time: %.6f  Lock_time: 0.000010  Rows_sent: %d  Rows_examined: %d\n"
                      "# Rows_affected: 0  Bytes_sent: 120\n"
                      "SET timestamp=%d;\n%s;\n"
                      % (100 + shape, ms / 1000, sent, examined, second,
                         SHAPES[shape][0].format(n=rng.randint(1, 99999), m=rng.randint(1, 9999))))


if __name__ == "__main__":
    main()
