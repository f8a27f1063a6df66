#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dbdump.py DB: what a kbloat database records, by natural keys (commit shas, config names,
item names), without what differs from run to run (times, row ids, failed builds' log
tails): two databases that recorded the same builds print the same text. The end-to-end
tests (lib.sh's dbdump) and tests/bench/run-mix.sh compare walks with it."""
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
q = lambda sql: db.execute(sql).fetchall()
for r in q("""SELECT c.sha, g.name, g.arch, b.status, b.total, b.text, b.rodata, b.data, b.bss,
		b.init, b.percpu, b.other, b.bk_text, b.bk_data, b.bk_bss, b.bom_t, b.bom_d, b.bom_r,
		pc.sha, b.distance, b.d_total, b.d_text, b.d_rodata, b.d_data, b.d_bss, b.d_init,
		b.d_percpu, b.d_other, d.options, b.log_tail IS NOT NULL
		FROM builds b JOIN commits c ON c.id = b.commit_id JOIN configs g ON g.id = b.config_id
		LEFT JOIN builds pb ON pb.id = b.parent_build_id LEFT JOIN commits pc ON pc.id = pb.commit_id
		LEFT JOIN dotconfigs d ON d.id = b.dotconfig_id ORDER BY c.sha, g.name"""):
	print("build", *r)
for r in q("""SELECT c.sha, g.name, i.kind, i.name, p.path, i.class, x.size, x.prev
		FROM item_delta x JOIN builds b ON b.id = x.build_id JOIN commits c ON c.id = b.commit_id
		JOIN configs g ON g.id = b.config_id JOIN items i ON i.id = x.item_id
		JOIN paths p ON p.id = i.path_id ORDER BY 1, 2, 3, 4, 5, 6"""):
	print("delta", *r)
for r in q("SELECT sha, parent_sha, author_name, author_email, author_time, subject FROM commits ORDER BY sha"):
	print("commit", *r)
for r in q("""SELECT c.sha, g.name, b.padding, b.m_tristate, b.m_bool, b.m_core, b.m_rest,
		b.d_core FROM builds b JOIN commits c ON c.id = b.commit_id
		JOIN configs g ON g.id = b.config_id ORDER BY 1, 2"""):
	print("modular", *r)
# schema 005's table: a database from before it (a benchmark's, say) has none to print
if q("SELECT 1 FROM sqlite_master WHERE name = 'subsystem_contacts'"):
	for r in q("""SELECT s.name, c.seq, c.role, c.address FROM subsystem_contacts c
			JOIN subsystems s ON s.id = c.subsystem_id ORDER BY 1, 2"""):
		print("contact", *r)
