-- kbloat's store, schema 008: what a build made besides vmlinux, when the collector was
-- asked to build it: the arch's boot image (`collect --boot-image`) and the modules
-- (`collect --modules`).
--
-- The image that must fit a flash partition is the boot image, not vmlinux; and a config
-- that makes code modular moves bytes out of vmlinux into .ko files, which a history of
-- vmlinux alone shows as pure savings. With these rows both are on the history: what left
-- the core and what it costs as modules.
--
-- A table of its own, one row per build that has either: builds of databases recorded
-- without the options have none, and no column of builds changes. Numbered 008: it needs
-- no other migration but 001 (builds), and applies whether or not 007 has.

CREATE TABLE build_outputs (
	build_id INTEGER PRIMARY KEY REFERENCES builds (id) ON DELETE CASCADE,
	-- the boot image kbuild builds by default (`make image_name`, else the arch's
	-- KBUILD_IMAGE): "arch/x86/boot/bzImage", relative to O=; NULL: not built
	boot_name TEXT,
	boot_bytes INTEGER,                -- its file size
	-- its compressed kernel: a bzImage's setup header payload_length (the rest is the
	-- real-mode setup and the decompressor), an Image.gz's whole file; NULL: none (a raw
	-- Image) or no boot image
	boot_payload INTEGER,
	-- the modules modules.order names, their allocated sections summed by the image's
	-- classes (mod_total is their sum); all NULL: make modules did not run
	mod_count INTEGER,
	mod_total INTEGER, mod_text INTEGER, mod_rodata INTEGER, mod_data INTEGER,
	mod_bss INTEGER, mod_init INTEGER, mod_percpu INTEGER, mod_other INTEGER,
	CHECK (NOT (boot_name IS NULL AND mod_count IS NULL)) -- one of the two, at least
);
