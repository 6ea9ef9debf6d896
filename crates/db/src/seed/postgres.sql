-- Bulk seed for the laporlapak benchmark, PostgreSQL flavour.
--
--   DATABASE_URL=postgres://… laporlapak seed --complaints 1000000
--
-- `laporlapak seed` runs this file (it is compiled into the binary): it puts the number of
-- complaints in place of :complaints, runs the psql-only lines (those starting with a backslash)
-- itself, and runs it section by section (the `-- ----` rules) to show its progress.
--
-- Inserts `complaints` complaints (default 1,000,000) grouped into complaints/3 cases over the nine
-- platforms and ten categories, 50,000 citizen accounts, 20 reviewers, one representative per
-- platform, one takedown request per case that was forwarded, evidence links, information-loop
-- messages and the audit trail (one `complaint.submitted` per complaint plus every case
-- transition), then VACUUM ANALYZE.
--
-- Everything is derived from row numbers with an integer hash, so two runs with the same
-- `complaints` produce the same rows (only timestamps move with the clock), and sqlite.sql
-- produces the same rows as this file. Keep the two files in step.
--
-- Hash: x = (n*A + B) mod P; h = ((x*x mod P)*16807 + x) mod P, with P = 2^31-1. Every product
-- stays below 2^63 (SQLite turns an overflowing integer product into a float).
-- Time: whole seconds since the epoch plus a separate microsecond part; the data span the
-- 365 days before the seed ran.

SET client_min_messages = warning;
SET TIME ZONE 'UTC';
SET temp_buffers = '512MB';
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;
-- A superuser skips the per-row foreign-key triggers during the bulk load (the rows are consistent
-- by construction; run.sh checks them afterwards with a few anti-joins). Other roles just load
-- more slowly.
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        PERFORM set_config('session_replication_role', 'replica', false);
    END IF;
END $$;

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM cases)
       OR EXISTS (SELECT 1 FROM complaints) THEN
        RAISE EXCEPTION 'seed: the database is not empty (seed a freshly migrated database)';
    END IF;
END $$;

CREATE FUNCTION pg_temp.ts(secs bigint, micros bigint) RETURNS timestamp
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT TIMESTAMP '1970-01-01 00:00:00' + secs * INTERVAL '1 second'
                 + micros * INTERVAL '1 microsecond' $$;

-- ------------------------------------------------------------------------------------------
-- Parameters
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_param AS
SELECT CAST(:complaints AS bigint) AS ncomplaints,
       greatest(CAST(:complaints AS bigint) / 3, 1) AS ncases,
       CAST(floor(extract(epoch FROM now())) AS bigint) AS now0,
       CAST(floor(extract(epoch FROM now())) AS bigint) - 365 * 86400 AS start0,
       CAST(50000 AS bigint) AS citizens;
ANALYZE bench_param;

DO $$
BEGIN
    IF (SELECT ncomplaints FROM bench_param) < 3 OR (SELECT ncomplaints FROM bench_param) > 100000000 THEN
        RAISE EXCEPTION 'seed: complaints must be between 3 and 100000000';
    END IF;
END $$;

-- ------------------------------------------------------------------------------------------
-- Small reference lists (weights are relative; cumulative ranges are computed below)
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_platform_w (slug text, weight bigint, answer_k bigint);
INSERT INTO bench_platform_w VALUES
    ('instagram', 22, 2), ('tiktok', 20, 2), ('shopee', 18, 3), ('facebook', 12, 1),
    ('tokopedia', 10, 3), ('lazada', 6, 1), ('bukalapak', 4, 3), ('google', 4, 2), ('x', 4, 1);

CREATE TEMP TABLE bench_category_w (code text, weight bigint);
INSERT INTO bench_category_w VALUES
    ('USED_CLOTHING_IMPORT', 35), ('PROHIBITED_IMPORT', 8), ('CREATOR_PROMOTION', 10),
    ('CROSS_BORDER_DIRECT_SALE', 10), ('SOCIAL_COMMERCE_TRANSACTION', 10),
    ('PREDATORY_PRICING', 5), ('FOREIGN_SELLER_NO_ENTITY', 5), ('COUNTERFEIT', 8),
    ('SMUGGLED_GOODS', 6), ('OTHER', 3);

-- Keyword flag combinations: the phrase appended to the description, the complaint's flags (rule
-- order, as the matcher returns them) and the case's flags (sorted, as refresh_case stores them).
CREATE TEMP TABLE bench_flag (idx bigint, phrase text, complaint_flags text, case_flags text, nflags bigint);
INSERT INTO bench_flag VALUES
    (0, 'Caption: #thrifting murah meriah.', 'thrifting', 'thrifting', 1),
    (1, 'Dijual 1 bal isi 100 pcs.', 'bal', 'bal', 1),
    (2, 'Disebut sebagai baju bekas impor.', 'bekas impor', 'bekas impor', 1),
    (3, 'Stok bal press Korea tersedia.', E'bal\nbal press', E'bal\nbal press', 2),
    (4, 'Hidden gem! Cek #thrifting hari ini.', E'thrifting\nhidden gem', E'hidden gem\nthrifting', 2),
    (5, 'Pakaian karungan langsung buka.', 'karungan', 'karungan', 1),
    (6, 'Thrift impor bekas, siap kirim.', E'thrift\nimpor bekas', E'impor bekas\nthrift', 2);

CREATE TEMP TABLE bench_desc (idx bigint, body text);
INSERT INTO bench_desc VALUES
    (0, 'Akun ini menjual pakaian bekas dari luar negeri dengan harga sangat murah, jelas barang selundupan.'),
    (1, 'Penjual menawarkan jaket dan kemeja second asal Korea dan Jepang, dikirim per karung ke seluruh Indonesia.'),
    (2, 'Live streaming jualan baju bekas luar negeri setiap malam, pembayaran langsung lewat DM dan transfer.'),
    (3, 'Toko ini menjual sepatu dan tas bermerek palsu dengan harga jauh di bawah harga asli.'),
    (4, 'Produk dijual langsung dari gudang di luar negeri tanpa perwakilan di Indonesia, harga di bawah 100 dolar.'),
    (5, 'Konten kreator mempromosikan pakaian bekas dari luar negeri dan mengarahkan pembeli ke tautan toko.'),
    (6, 'Harga jual jauh di bawah harga pokok, merugikan UMKM lokal yang menjual produk sejenis.'),
    (7, 'Barang elektronik tanpa izin edar dan tanpa label berbahasa Indonesia dijual bebas di lapak ini.'),
    (8, 'Mohon ditindak, penjual ini sudah lama menjual pakaian bekas asal luar negeri dan makin ramai pembeli.'),
    (9, 'Postingan ini menawarkan paket pakaian bekas campur per kilo, katanya langsung dari pelabuhan.'),
    (10, 'Lapak ini menerima pembayaran di dalam aplikasi media sosial, bukan lewat marketplace resmi.'),
    (11, 'Saya pedagang pakaian lokal, omzet turun karena lapak seperti ini menjual pakaian bekas luar negeri.');

CREATE TEMP TABLE bench_province_w (idx bigint, name text, city text, weight bigint);
INSERT INTO bench_province_w VALUES
    (0, 'Aceh', 'Banda Aceh', 6), (1, 'Sumatera Utara', 'Medan', 50),
    (2, 'Sumatera Barat', 'Padang', 20), (3, 'Riau', 'Pekanbaru', 20), (4, 'Jambi', 'Jambi', 6),
    (5, 'Sumatera Selatan', 'Palembang', 20), (6, 'Bengkulu', 'Bengkulu', 6),
    (7, 'Lampung', 'Bandar Lampung', 20), (8, 'Kepulauan Bangka Belitung', 'Pangkalpinang', 6),
    (9, 'Kepulauan Riau', 'Batam', 20), (10, 'DKI Jakarta', 'Jakarta Selatan', 140),
    (11, 'Jawa Barat', 'Bandung', 182), (12, 'Jawa Tengah', 'Semarang', 100),
    (13, 'Daerah Istimewa Yogyakarta', 'Yogyakarta', 30), (14, 'Jawa Timur', 'Surabaya', 130),
    (15, 'Banten', 'Tangerang', 60), (16, 'Bali', 'Denpasar', 20),
    (17, 'Nusa Tenggara Barat', 'Mataram', 6), (18, 'Nusa Tenggara Timur', 'Kupang', 6),
    (19, 'Kalimantan Barat', 'Pontianak', 6), (20, 'Kalimantan Tengah', 'Palangka Raya', 6),
    (21, 'Kalimantan Selatan', 'Banjarmasin', 6), (22, 'Kalimantan Timur', 'Samarinda', 20),
    (23, 'Kalimantan Utara', 'Tarakan', 6), (24, 'Sulawesi Utara', 'Manado', 6),
    (25, 'Sulawesi Tengah', 'Palu', 6), (26, 'Sulawesi Selatan', 'Makassar', 30),
    (27, 'Sulawesi Tenggara', 'Kendari', 6), (28, 'Gorontalo', 'Gorontalo', 6),
    (29, 'Sulawesi Barat', 'Mamuju', 6), (30, 'Maluku', 'Ambon', 6), (31, 'Maluku Utara', 'Ternate', 6),
    (32, 'Papua', 'Jayapura', 6), (33, 'Papua Barat', 'Manokwari', 6), (34, 'Papua Selatan', 'Merauke', 6),
    (35, 'Papua Tengah', 'Nabire', 6), (36, 'Papua Pegunungan', 'Wamena', 6),
    (37, 'Papua Barat Daya', 'Sorong', 6);

CREATE TEMP TABLE bench_name (idx bigint, first_name text, last_name text);
INSERT INTO bench_name VALUES
    (0, 'Siti', 'Santoso'), (1, 'Budi', 'Wijaya'), (2, 'Dewi', 'Saputra'), (3, 'Agus', 'Lestari'),
    (4, 'Rina', 'Pratama'), (5, 'Andi', 'Hidayat'), (6, 'Putri', 'Kusuma'), (7, 'Eko', 'Nugroho'),
    (8, 'Wulan', 'Siregar'), (9, 'Joko', 'Harahap'), (10, 'Ayu', 'Simanjuntak'), (11, 'Rudi', 'Wibowo'),
    (12, 'Indah', 'Setiawan'), (13, 'Fajar', 'Rahman'), (14, 'Lestari', 'Utami'), (15, 'Hendra', 'Permana'),
    (16, 'Maya', 'Gunawan'), (17, 'Bayu', 'Suryadi'), (18, 'Nur', 'Halim'), (19, 'Dimas', 'Tanjung'),
    (20, 'Fitri', 'Santoso'), (21, 'Yusuf', 'Wijaya'), (22, 'Ratna', 'Saputra'), (23, 'Arif', 'Lestari'),
    (24, 'Sri', 'Pratama'), (25, 'Teguh', 'Hidayat'), (26, 'Wati', 'Kusuma'), (27, 'Rizky', 'Nugroho'),
    (28, 'Intan', 'Siregar'), (29, 'Bambang', 'Harahap');

CREATE TEMP TABLE bench_platform AS
SELECT w.slug, p.id AS platform_id, w.answer_k,
       CAST(sum(w.weight) OVER (ORDER BY p.id) - w.weight AS bigint) AS lo,
       CAST(sum(w.weight) OVER (ORDER BY p.id) AS bigint) AS hi,
       row_number() OVER (ORDER BY p.id) AS rank
FROM bench_platform_w w JOIN platforms p ON p.slug = w.slug;
ANALYZE bench_platform;

CREATE TEMP TABLE bench_category AS
SELECT c.id AS category_id, c.severity, c.legal_basis,
       CAST(sum(w.weight) OVER (ORDER BY c.id) - w.weight AS bigint) AS lo,
       CAST(sum(w.weight) OVER (ORDER BY c.id) AS bigint) AS hi
FROM bench_category_w w JOIN categories c ON c.code = w.code;
ANALYZE bench_category;

CREATE TEMP TABLE bench_province AS
SELECT idx, name, city,
       CAST(sum(weight) OVER (ORDER BY idx) - weight AS bigint) AS lo,
       CAST(sum(weight) OVER (ORDER BY idx) AS bigint) AS hi
FROM bench_province_w;
ANALYZE bench_province;

-- ------------------------------------------------------------------------------------------
-- Accounts: citizens 1..50000 (8% UMKM sellers), 20 reviewers, one representative per platform.
-- Every account's password is "bench-password-123" (an argon2id hash made by the app).
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_hash_const AS
SELECT '$argon2id$v=19$m=19456,t=2,p=1$IUCn1f29WDi5j1L36M62lg$fBQwLgdlyxzO0ddA/2oxBXTb23AHQVERB1D000qnNIo'::text AS password_hash;
ANALYZE bench_hash_const;

INSERT INTO accounts (id, email, password_hash, display_name, role, platform_id, umkm_nib,
                      umkm_business_name, created_at)
SELECT a.k,
       'warga' || a.k || '@example.id',
       (SELECT password_hash FROM bench_hash_const),
       nm.first_name || ' ' || nl.last_name,
       'CITIZEN', NULL,
       CASE WHEN a.h % 100 < 8 THEN '8120' || lpad(a.k::text, 9, '0') END,
       CASE WHEN a.h % 100 < 8 THEN 'Toko ' || nm.first_name || ' ' || a.k END,
       pg_temp.ts((SELECT start0 FROM bench_param) - 35 * 86400 + a.k * 380 * 86400 / 50000 - 60 * 86400,
                  a.h % 1000000)
FROM (SELECT k, ((x * x) % 2147483647 * 16807 + x) % 2147483647 AS h
      FROM (SELECT k, (k * 40692 + 7001) % 2147483647 AS x
            FROM generate_series(CAST(1 AS bigint), (SELECT citizens FROM bench_param)) AS k) s) a
JOIN bench_name nm ON nm.idx = a.k % 30
JOIN bench_name nl ON nl.idx = (a.k / 30) % 30;

INSERT INTO accounts (id, email, password_hash, display_name, role, created_at)
SELECT 50000 + r,
       'reviewer' || lpad(r::text, 2, '0') || '@kemenkop.go.id',
       (SELECT password_hash FROM bench_hash_const),
       'Reviewer ' || nm.first_name || ' ' || nm.last_name,
       'REVIEWER',
       pg_temp.ts((SELECT start0 FROM bench_param) - 60 * 86400 + r * 3600, 0)
FROM generate_series(CAST(1 AS bigint), 20) AS r
JOIN bench_name nm ON nm.idx = (r * 7) % 30;

INSERT INTO accounts (id, email, password_hash, display_name, role, platform_id, created_at)
SELECT 50020 + bp.rank,
       'trust-safety@' || bp.slug || '.example',
       (SELECT password_hash FROM bench_hash_const),
       'Trust & Safety ' || p.name,
       'PLATFORM', bp.platform_id,
       pg_temp.ts((SELECT start0 FROM bench_param) - 59 * 86400 + bp.rank * 3600, 0)
FROM bench_platform bp JOIN platforms p ON p.id = bp.platform_id;

ANALYZE accounts;

-- ------------------------------------------------------------------------------------------
-- Cases, step 1: attributes drawn from the hash of the case number (= its id; ids follow time).
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_case_h AS
SELECT n,
       ((x1 * x1) % 2147483647 * 16807 + x1) % 2147483647 AS h1,
       ((x2 * x2) % 2147483647 * 16807 + x2) % 2147483647 AS h2,
       ((x3 * x3) % 2147483647 * 16807 + x3) % 2147483647 AS h3,
       ((x4 * x4) % 2147483647 * 16807 + x4) % 2147483647 AS h4,
       ((x5 * x5) % 2147483647 * 16807 + x5) % 2147483647 AS h5,
       ((x6 * x6) % 2147483647 * 16807 + x6) % 2147483647 AS h6,
       ((x7 * x7) % 2147483647 * 16807 + x7) % 2147483647 AS h7,
       ((x8 * x8) % 2147483647 * 16807 + x8) % 2147483647 AS h8
FROM (SELECT n,
             (n * 48271 + 101) % 2147483647 AS x1,
             (n * 69621 + 202) % 2147483647 AS x2,
             (n * 16807 + 303) % 2147483647 AS x3,
             (n * 39373 + 404) % 2147483647 AS x4,
             (n * 40014 + 505) % 2147483647 AS x5,
             (n * 44488 + 606) % 2147483647 AS x6,
             (n * 45742 + 707) % 2147483647 AS x7,
             (n * 52774 + 808) % 2147483647 AS x8
      FROM generate_series(CAST(1 AS bigint), (SELECT ncases FROM bench_param)) AS n) s;
ANALYZE bench_case_h;

-- Status mix (per mille of h3): 30% RESOLVED, 15% CLOSED, 15% REJECTED, 15% OPEN, 5% IN_REVIEW,
-- 3% AWAITING_INFO, 10% FORWARDED, 4% PLATFORM_DECLINED, 3% ESCALATED. `v` picks the path:
-- CLOSED v<40 straight from OPEN, v<75 after review, else after a never-answered request;
-- ESCALATED v<70 after the platform declined, else from review; IN_REVIEW v<10 came back with
-- NEEDS_MORE_INFO; FORWARDED v<5 issued long ago (long overdue), 5<=v<45 acknowledged;
-- RESOLVED v<75 REMOVED, v<90 RESTRICTED, else GEO_BLOCKED.
CREATE TEMP TABLE bench_case1 AS
SELECT q.*,
       CASE WHEN q.status = 'OPEN' OR (q.status = 'CLOSED' AND q.v < 40) THEN 0 ELSE 1 END AS has_claim,
       CASE WHEN q.status IN ('FORWARDED', 'RESOLVED', 'PLATFORM_DECLINED')
                 OR (q.status = 'ESCALATED' AND q.v < 70)
                 OR (q.status = 'CLOSED' AND q.v >= 75)
                 OR (q.status = 'IN_REVIEW' AND q.v < 10) THEN 1 ELSE 0 END AS has_request,
       CASE WHEN q.status = 'RESOLVED' THEN
                 CASE WHEN q.v < 75 THEN 'REMOVED' WHEN q.v < 90 THEN 'RESTRICTED' ELSE 'GEO_BLOCKED' END
            WHEN q.status = 'PLATFORM_DECLINED' OR (q.status = 'ESCALATED' AND q.v < 70) THEN 'DECLINED'
            WHEN q.status = 'IN_REVIEW' AND q.v < 10 THEN 'NEEDS_MORE_INFO' END AS answer_action,
       CASE q.status WHEN 'AWAITING_INFO' THEN 'case.information_requested'
                     WHEN 'REJECTED' THEN 'case.rejected'
                     WHEN 'ESCALATED' THEN 'case.escalated'
                     WHEN 'CLOSED' THEN 'case.closed' END AS final_action
FROM (
    SELECT h.n AS id,
           bp.platform_id, bp.answer_k, bp.slug,
           bc.category_id, bc.severity, bc.legal_basis,
           CASE WHEN h.h3 % 1000 < 300 THEN 'RESOLVED'
                WHEN h.h3 % 1000 < 450 THEN 'CLOSED'
                WHEN h.h3 % 1000 < 600 THEN 'REJECTED'
                WHEN h.h3 % 1000 < 750 THEN 'OPEN'
                WHEN h.h3 % 1000 < 800 THEN 'IN_REVIEW'
                WHEN h.h3 % 1000 < 830 THEN 'AWAITING_INFO'
                WHEN h.h3 % 1000 < 930 THEN 'FORWARDED'
                WHEN h.h3 % 1000 < 970 THEN 'PLATFORM_DECLINED'
                ELSE 'ESCALATED' END AS status,
           (h.h3 / 1000) % 100 AS v,
           CASE WHEN (h.h3 / 100000) % 10 = 0 THEN 'URGENT' ELSE 'NORMAL' END AS urgency,
           CASE WHEN h.h4 % 100 < 20 THEN (h.h4 / 100) % 7 END AS flag_idx,
           CASE WHEN h.h5 % 100 < 15 THEN 'ACCOUNT' ELSE 'LISTING' END AS target_kind,
           (SELECT start0 FROM bench_param)
               + (h.n - 1) * (365 * 86400 - 3600) / (SELECT ncases FROM bench_param) AS t_c,
           h.h8 % 1000000 AS t_c_us,
           600 + h.h6 % 259200 AS d_claim,
           1800 + h.h7 % 345600 AS d_issue,
           3600 + CAST(floor(255600 * CASE bp.answer_k
                        WHEN 1 THEN CAST(h.h8 AS double precision) / 2147483647
                        WHEN 2 THEN CAST(h.h8 AS double precision) / 2147483647 * (CAST(h.h8 AS double precision) / 2147483647)
                        ELSE CAST(h.h8 AS double precision) / 2147483647 * (CAST(h.h8 AS double precision) / 2147483647) * (CAST(h.h8 AS double precision) / 2147483647) END) AS bigint) AS d_answer,
           600 + h.h5 % 172800 AS d_final,
           CAST(h.h6 AS double precision) / 2147483647 AS u_recent,
           50000 + 1 + h.h7 % 20 AS reviewer_id,
           50020 + bp.rank AS platform_rep_id,
           (h.h2 / 100) % 5 AS authority_idx,
           h.h1 AS h_target, h.h2 AS h_misc
    FROM bench_case_h h
    JOIN bench_platform bp ON h.h1 % (SELECT max(hi) FROM bench_platform) >= bp.lo
                        AND h.h1 % (SELECT max(hi) FROM bench_platform) < bp.hi
    JOIN bench_category bc ON h.h2 % (SELECT max(hi) FROM bench_category) >= bc.lo
                        AND h.h2 % (SELECT max(hi) FROM bench_category) < bc.hi
) q;
ANALYZE bench_case1;

-- Cases, step 2: the timeline. Durations shrink when the case is too young for all of them.
CREATE TEMP TABLE bench_case2 AS
SELECT t.*,
       CASE WHEN t.has_claim = 1 THEN t.t_c + CAST(floor(t.d_claim * t.s) AS bigint) END AS claimed_at
FROM (
    SELECT c.*,
           CASE WHEN (c.has_claim * c.d_claim + c.has_request * c.d_issue
                      + CASE WHEN c.answer_action IS NOT NULL THEN c.d_answer ELSE 0 END
                      + CASE WHEN c.final_action IS NOT NULL THEN c.d_final ELSE 0 END)
                     > CAST(0.9 AS double precision) * ((SELECT now0 FROM bench_param) - 60 - c.t_c)
                THEN CAST(0.9 AS double precision) * ((SELECT now0 FROM bench_param) - 60 - c.t_c)
                     / (c.has_claim * c.d_claim + c.has_request * c.d_issue
                        + CASE WHEN c.answer_action IS NOT NULL THEN c.d_answer ELSE 0 END
                        + CASE WHEN c.final_action IS NOT NULL THEN c.d_final ELSE 0 END)
                ELSE CAST(1 AS double precision) END AS s
    FROM bench_case1 c
) t;
ANALYZE bench_case2;

CREATE TEMP TABLE bench_case3 AS
SELECT t.*,
       CASE WHEN t.answer_action IS NOT NULL
            THEN t.issued_at + CAST(floor(t.d_answer * t.s) AS bigint) END AS responded_at,
       CASE WHEN t.issued_at IS NOT NULL
            THEN t.issued_at + CASE t.urgency WHEN 'URGENT' THEN 4 ELSE 24 END * 3600 END AS due_at
FROM (
    SELECT c.*,
           CASE WHEN c.has_request = 0 THEN NULL
                WHEN c.status = 'FORWARDED' AND c.v >= 5
                     THEN greatest(c.claimed_at + 60,
                                   (SELECT now0 FROM bench_param) - CAST(floor(c.u_recent * 115200) AS bigint))
                ELSE c.claimed_at + CAST(floor(c.d_issue * c.s) AS bigint) END AS issued_at
    FROM bench_case2 c
) t;
ANALYZE bench_case3;

CREATE TEMP TABLE bench_case4 AS
SELECT t.*,
       CASE WHEN t.final_action IS NOT NULL
            THEN coalesce(t.responded_at, t.issued_at, t.claimed_at, t.t_c)
                 + CAST(floor(t.d_final * t.s) AS bigint) END AS final_at,
       CASE WHEN t.status = 'FORWARDED' AND t.v >= 5 AND t.v < 45
            THEN t.issued_at + least(1800 + t.h_misc % 7200, ((SELECT now0 FROM bench_param) - t.issued_at) / 2)
            WHEN t.answer_action IS NOT NULL AND t.h_misc % 10 < 7
            THEN t.issued_at + (t.responded_at - t.issued_at) / 3 END AS acknowledged_at
FROM bench_case3 t;
ANALYZE bench_case4;

-- Last moment a complaint can join the case: before it became final (or before its last
-- transition, so that complaint events never postdate the case's current state).
CREATE TEMP TABLE bench_case AS
SELECT t.*,
       CASE WHEN t.status = 'OPEN' THEN (SELECT now0 FROM bench_param) - 60
            ELSE coalesce(t.final_at, t.responded_at, t.issued_at, t.claimed_at) END AS window_end,
       -- Target: derived from the case id through a 40-bit bijection, so unique per case.
       ((((t.x1 >> 17) | (t.x1 << 23)) & 1099511627775) * 4194301 + 987654321) & 1099511627775 AS tgt
FROM (SELECT c.*, (c.id * 42503821207 + 25214903917) & 1099511627775 AS x1 FROM bench_case4 c) t;
ANALYZE bench_case;

CREATE TEMP TABLE bench_case_target AS
SELECT c.id,
       code,
       lower(nm.first_name) || '.' || ((c.h_target / 100) % 5000) AS seller,
       CASE c.slug
         WHEN 'instagram' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://instagram.com/toko' || lower(code)
                                                  ELSE 'https://instagram.com/p/C' || code || 'x' END
         WHEN 'tiktok' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://tiktok.com/@toko' || lower(code)
                                               ELSE 'https://tiktok.com/@' || lower(nm.first_name) || '.' || ((c.h_target / 100) % 5000)
                                                    || '/video/7' || lpad(c.tgt::text, 18, '0') END
         WHEN 'facebook' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://facebook.com/toko' || lower(code)
                                                 ELSE 'https://facebook.com/marketplace/item/1' || lpad(c.tgt::text, 15, '0') END
         WHEN 'shopee' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://shopee.co.id/toko' || lower(code)
                                               ELSE 'https://shopee.co.id/product/' || (100000000 + c.h_target % 900000000)
                                                    || '/' || c.tgt END
         WHEN 'tokopedia' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://tokopedia.com/toko' || lower(code)
                                                  ELSE 'https://tokopedia.com/' || lower(nm.first_name) || ((c.h_target / 100) % 5000)
                                                       || '/kemeja-flanel-' || lower(code) END
         WHEN 'lazada' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://lazada.co.id/shop/toko' || lower(code)
                                               ELSE 'https://lazada.co.id/products/kemeja-flanel-i' || c.tgt
                                                    || '-s' || (c.h_target % 1000000000) || '.html' END
         WHEN 'bukalapak' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://bukalapak.com/u/toko' || lower(code)
                                                  ELSE 'https://bukalapak.com/p/fashion-pria/kemeja/' || lower(code)
                                                       || '-jual-kemeja-flanel' END
         WHEN 'google' THEN CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://youtube.com/@toko' || lower(code)
                                               ELSE 'https://youtube.com/watch?v=v' || code || 'Qz' END
         ELSE CASE c.target_kind WHEN 'ACCOUNT' THEN 'https://x.com/toko' || lower(code)
                                 ELSE 'https://x.com/' || lower(nm.first_name) || ((c.h_target / 100) % 5000)
                                      || '/status/17' || lpad(c.tgt::text, 17, '0') END
       END AS target
FROM (SELECT c.*,
             substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 35) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 30) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 25) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 20) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 15) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 10) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((c.tgt >> 5) & 31 AS integer) + 1, 1)
             || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST(c.tgt & 31 AS integer) + 1, 1) AS code
      FROM bench_case c) c
JOIN bench_name nm ON nm.idx = c.h_target % 30;
ANALYZE bench_case_target;

-- ------------------------------------------------------------------------------------------
-- Complaints, staged: the first c complaints open cases 1..c; the other 2c join a case drawn
-- with a skew (a few cases collect hundreds of reports, most keep one to three).
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_complaint_h AS
SELECT j,
       ((y1 * y1) % 2147483647 * 16807 + y1) % 2147483647 AS g1,
       ((y2 * y2) % 2147483647 * 16807 + y2) % 2147483647 AS g2,
       ((y3 * y3) % 2147483647 * 16807 + y3) % 2147483647 AS g3,
       ((y4 * y4) % 2147483647 * 16807 + y4) % 2147483647 AS g4,
       ((y5 * y5) % 2147483647 * 16807 + y5) % 2147483647 AS g5,
       ((y6 * y6) % 2147483647 * 16807 + y6) % 2147483647 AS g6
FROM (SELECT j,
             (j * 48271 + 1111) % 2147483647 AS y1,
             (j * 69621 + 2222) % 2147483647 AS y2,
             (j * 16807 + 3333) % 2147483647 AS y3,
             (j * 39373 + 4444) % 2147483647 AS y4,
             (j * 40014 + 5555) % 2147483647 AS y5,
             (j * 44488 + 6666) % 2147483647 AS y6
      FROM generate_series(CAST(1 AS bigint), (SELECT ncomplaints FROM bench_param)) AS j) s;
ANALYZE bench_complaint_h;

CREATE TEMP TABLE bench_complaint_a AS
SELECT h.*,
       -- (CAST gives SQLite's copy of this file an INTEGER column, which its joins can search.)
       CAST(CASE WHEN h.j <= (SELECT ncases FROM bench_param) THEN h.j
                 ELSE 1 + (CAST(floor((SELECT ncases FROM bench_param)
                                      * (CAST(h.g1 AS double precision) / 2147483647) * (CAST(h.g1 AS double precision) / 2147483647)) AS bigint)
                           * 2654435761) % (SELECT ncases FROM bench_param) END AS bigint) AS case_id,
       CAST(CASE WHEN h.g3 % 100 < 55
                 THEN 1 + CAST(floor(50000 * (CAST(h.g4 AS double precision) / 2147483647) * (CAST(h.g4 AS double precision) / 2147483647)) AS bigint) END AS bigint) AS reporter
FROM bench_complaint_h h;
ANALYZE bench_complaint_a;

CREATE TEMP TABLE bench_complaint AS
SELECT t.*,
       CASE WHEN t.j > (SELECT ncases FROM bench_param) AND (t.g3 / 100) % 1000 < 8
            THEN t.ct + CAST(floor((t.window_end - t.ct) * CAST(t.g5 AS double precision) / 2147483647) AS bigint)
       END AS withdrawn_at
FROM (
    SELECT a.j, a.case_id, a.reporter, a.g2, a.g3, a.g5, a.g6, c.window_end,
           CASE WHEN a.j <= (SELECT ncases FROM bench_param) THEN c.t_c
                ELSE c.t_c + 1 + CAST(floor(least(c.window_end - c.t_c - 1, 2592000)
                                            * (CAST(a.g2 AS double precision) / 2147483647) * (CAST(a.g2 AS double precision) / 2147483647)) AS bigint) END AS ct,
           CASE WHEN a.j <= (SELECT ncases FROM bench_param) THEN c.t_c_us ELSE a.g6 % 1000000 END AS ct_us,
           CASE WHEN a.reporter IS NOT NULL AND u.umkm_nib IS NOT NULL THEN 1 ELSE 0 END AS umkm
    FROM bench_complaint_a a
    JOIN bench_case c ON c.id = a.case_id
    LEFT JOIN accounts u ON u.id = a.reporter
) t;
ANALYZE bench_complaint;

-- Per-case counts of the complaints that still count.
CREATE TEMP TABLE bench_case_agg AS
SELECT case_id,
       count(DISTINCT reporter) + sum(CASE WHEN reporter IS NULL THEN 1 ELSE 0 END) AS reporters,
       count(DISTINCT CASE WHEN umkm = 1 THEN reporter END) AS umkm_reporters,
       count(*) AS counting
FROM bench_complaint WHERE withdrawn_at IS NULL GROUP BY case_id;
ANALYZE bench_case_agg;

CREATE TEMP TABLE bench_case_all AS
SELECT case_id, count(*) AS complaints, max(ct) AS last_ct
FROM bench_complaint GROUP BY case_id;
ANALYZE bench_case_all;

-- ------------------------------------------------------------------------------------------
-- Cases
-- ------------------------------------------------------------------------------------------
INSERT INTO cases (id, platform_id, category_id, target, target_kind, status, report_count,
                   umkm_report_count, flags, priority, assignee_id, version, merged_into_id,
                   created_at, updated_at, escalated_to, takedown_due_at)
SELECT c.id, c.platform_id, c.category_id, tg.target, c.target_kind, c.status,
       g.reporters, g.umkm_reporters,
       coalesce(f.case_flags, ''),
       10 * c.severity
         + CAST(floor(25 * ln(CAST(1 + g.reporters AS double precision)) / ln(CAST(2 AS double precision)) + CAST(0.000000001 AS double precision)) AS integer)
         + 10 * least(g.umkm_reporters, 5)
         + 15 * least(coalesce(f.nflags, 0), 4),
       CASE WHEN c.has_claim = 1 THEN c.reviewer_id END,
       (al.complaints - 1) + c.has_claim + c.has_request
         + CASE WHEN c.answer_action IS NOT NULL AND c.answer_action <> 'NEEDS_MORE_INFO' THEN 1 ELSE 0 END
         + CASE WHEN c.final_action IS NOT NULL THEN 1 ELSE 0 END,
       NULL,
       pg_temp.ts(c.t_c, c.t_c_us),
       pg_temp.ts(greatest(al.last_ct, coalesce(c.final_at, c.responded_at, c.issued_at, c.claimed_at, c.t_c)),
                  (c.h_misc / 7) % 1000000),
       CASE WHEN c.status = 'ESCALATED'
            THEN (ARRAY['KOMDIGI', 'KEMENDAG', 'BEA_CUKAI', 'POLRI', 'OTHER'])[c.authority_idx + 1] END,
       CASE WHEN c.status = 'FORWARDED' THEN pg_temp.ts(c.due_at, (c.h_misc / 13) % 1000000) END
FROM bench_case c
JOIN bench_case_target tg ON tg.id = c.id
JOIN bench_case_agg g ON g.case_id = c.id
JOIN bench_case_all al ON al.case_id = c.id
LEFT JOIN bench_flag f ON f.idx = c.flag_idx
ORDER BY c.id;

-- ------------------------------------------------------------------------------------------
-- Complaints, ids in submission order.
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_complaint_id AS
SELECT row_number() OVER (ORDER BY ct, ct_us, j) AS id, j
FROM bench_complaint;
ANALYZE bench_complaint_id;

INSERT INTO complaints (id, tracking_code_hash, case_id, category_id, platform_id, listing_url,
                        canonical_url, account_handle, description, province, city, anonymous,
                        reporter_account_id, reporter_umkm, contact_email, flags, created_at,
                        withdrawn_at)
SELECT q.id,
       'LL-'
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 35) & 31 AS integer) + 1, 1)
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 30) & 31 AS integer) + 1, 1)
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 25) & 31 AS integer) + 1, 1)
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 20) & 31 AS integer) + 1, 1)
       || '-'
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 15) & 31 AS integer) + 1, 1)
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 10) & 31 AS integer) + 1, 1)
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST((q.z >> 5) & 31 AS integer) + 1, 1)
       || substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', CAST(q.z & 31 AS integer) + 1, 1),
       q.case_id, q.category_id, q.platform_id,
       CASE WHEN q.g2 % 2 = 0 THEN q.target
            ELSE replace(q.target, 'https://', 'https://www.')
                 || CASE WHEN strpos(q.target, '?') > 0 THEN '&' ELSE '?' END || 'utm_source=share' END,
       q.target,
       CASE WHEN (q.g2 / 2) % 100 < 30 THEN '@' || q.seller END,
       d.body || CASE WHEN f.phrase IS NOT NULL THEN ' ' || f.phrase ELSE '' END,
       CASE WHEN q.g6 % 100 < 75 THEN p.name END,
       CASE WHEN q.g6 % 100 < 45 THEN p.city END,
       CASE WHEN q.reporter IS NOT NULL THEN (q.g5 / 1000) % 100 < 15 ELSE (q.g5 / 1000) % 100 < 50 END,
       q.reporter,
       q.umkm = 1,
       CASE WHEN q.reporter IS NULL AND (q.g5 / 100000) % 100 < 30 THEN 'pelapor' || q.j || '@example.id' END,
       coalesce(f.complaint_flags, ''),
       pg_temp.ts(q.ct, q.ct_us),
       CASE WHEN q.withdrawn_at IS NOT NULL THEN pg_temp.ts(q.withdrawn_at, (q.g6 / 100) % 1000000) END
FROM (
    SELECT i.id, b.*, c.category_id, c.platform_id, c.flag_idx, tg.target, tg.seller,
           ((((z1 >> 17) | (z1 << 23)) & 1099511627775) * 4194301 + 123456789) & 1099511627775 AS z
    FROM (SELECT id, j, (id * 42503821207 + 25214903917) & 1099511627775 AS z1 FROM bench_complaint_id) i
    JOIN bench_complaint b ON b.j = i.j
    JOIN bench_case c ON c.id = b.case_id
    JOIN bench_case_target tg ON tg.id = b.case_id
) q
JOIN bench_desc d ON d.idx = (q.g2 / 200) % 12
LEFT JOIN bench_flag f ON f.idx = q.flag_idx
JOIN bench_province p ON (q.g6 / 100) % (SELECT max(hi) FROM bench_province) >= p.lo
                    AND (q.g6 / 100) % (SELECT max(hi) FROM bench_province) < p.hi
ORDER BY q.id;

ANALYZE cases;
ANALYZE complaints;

-- Evidence: one link on 35% of complaints, a second on 12%.
INSERT INTO complaint_evidence (complaint_id, url, added_at)
SELECT id, 'https://bukti.example.id/ss/' || id || '-' || k || '.jpg', created_at
FROM (SELECT c.id, c.created_at, k.k,
             ((x * x) % 2147483647 * 16807 + x) % 2147483647 AS h
      FROM (SELECT id, created_at, (id * 45742 + 9999) % 2147483647 AS x FROM complaints) c
      CROSS JOIN (VALUES (1), (2)) AS k (k)) e
WHERE (k = 1 AND h % 100 < 35) OR (k = 2 AND h % 100 < 12)
ORDER BY id, k;

-- ------------------------------------------------------------------------------------------
-- Takedown requests: one per case that was forwarded, ids in issue order.
-- ------------------------------------------------------------------------------------------
INSERT INTO takedown_requests (id, case_id, platform_id, legal_basis, urgency, note, status,
                               issued_by, issued_at, due_at, acknowledged_at, responded_at,
                               action, statement_of_reasons, acted_at, updated_at)
SELECT row_number() OVER (ORDER BY c.issued_at, c.id),
       c.id, c.platform_id, c.legal_basis, c.urgency,
       CASE WHEN c.h_misc % 10 < 3 THEN 'Mohon ditindaklanjuti sesuai Permenkominfo 5/2020.' END,
       CASE WHEN c.answer_action IS NOT NULL THEN 'ANSWERED'
            WHEN c.acknowledged_at IS NOT NULL THEN 'ACKNOWLEDGED' ELSE 'PENDING' END,
       c.reviewer_id,
       pg_temp.ts(c.issued_at, (c.h_misc / 13) % 1000000),
       pg_temp.ts(c.due_at, (c.h_misc / 13) % 1000000),
       CASE WHEN c.acknowledged_at IS NOT NULL THEN pg_temp.ts(c.acknowledged_at, (c.h_misc / 17) % 1000000) END,
       CASE WHEN c.responded_at IS NOT NULL THEN pg_temp.ts(c.responded_at, (c.h_misc / 19) % 1000000) END,
       c.answer_action,
       CASE c.answer_action
         WHEN 'REMOVED' THEN 'Konten telah diturunkan karena melanggar kebijakan barang terlarang platform.'
         WHEN 'RESTRICTED' THEN 'Akses ke listing dibatasi sementara penjual diminta melengkapi dokumen impor.'
         WHEN 'GEO_BLOCKED' THEN 'Konten tidak lagi dapat diakses dari Indonesia sesuai permintaan.'
         WHEN 'DECLINED' THEN 'Setelah peninjauan, konten tidak melanggar kebijakan kami maupun hukum yang berlaku.'
         WHEN 'NEEDS_MORE_INFO' THEN 'Mohon lampirkan bukti bahwa barang yang dijual merupakan impor bekas.' END,
       CASE WHEN c.responded_at IS NOT NULL
            THEN pg_temp.ts(CASE WHEN c.h_misc % 10 < 3 THEN c.issued_at + (c.responded_at - c.issued_at) / 2
                                 ELSE c.responded_at END, (c.h_misc / 19) % 1000000) END,
       COALESCE(CASE WHEN c.responded_at IS NOT NULL THEN pg_temp.ts(c.responded_at, (c.h_misc / 19) % 1000000) END,
                CASE WHEN c.acknowledged_at IS NOT NULL THEN pg_temp.ts(c.acknowledged_at, (c.h_misc / 17) % 1000000) END,
                pg_temp.ts(c.issued_at, (c.h_misc / 13) % 1000000))
FROM bench_case c
WHERE c.has_request = 1;

ANALYZE takedown_requests;

-- Information loop: a request on every AWAITING_INFO case, a reply on 30% of them.
INSERT INTO messages (case_id, complaint_id, author, author_account_id, body, created_at)
SELECT case_id, complaint_id, author, author_account_id, body, created_at
FROM (
    SELECT c.id AS case_id, NULL::bigint AS complaint_id, 'REVIEWER' AS author,
           c.reviewer_id AS author_account_id,
           'Mohon kirimkan tangkapan layar halaman produk dan bukti transaksi bila ada.' AS body,
           pg_temp.ts(c.final_at, 0) AS created_at
    FROM bench_case c WHERE c.status = 'AWAITING_INFO'
    UNION ALL
    SELECT c.id, fc.id, 'REPORTER', fc.reporter_account_id,
           'Sudah saya lampirkan tangkapan layar tambahan, terima kasih.',
           pg_temp.ts(c.final_at + least(3600 + c.h_misc % 86400, ((SELECT now0 FROM bench_param) - c.final_at) / 2), 0)
    FROM bench_case c
    JOIN complaints fc ON fc.id = (SELECT min(x.id) FROM complaints x WHERE x.case_id = c.id)
    WHERE c.status = 'AWAITING_INFO' AND c.h_misc % 10 < 3
) m
ORDER BY created_at;

-- ------------------------------------------------------------------------------------------
-- Audit trail, ids in time order: complaint.submitted for every complaint, then every case
-- transition and takedown answer.
-- ------------------------------------------------------------------------------------------
CREATE TEMP TABLE bench_event (
    at_s bigint, at_us bigint, ord bigint, actor_account_id bigint, actor_role text, action text,
    subject_type text, subject_id bigint, case_id bigint, case_status text, details text);

INSERT INTO bench_event
SELECT b.ct, b.ct_us, 0, b.reporter, CASE WHEN b.reporter IS NOT NULL THEN 'CITIZEN' END,
       'complaint.submitted', 'complaint', i.id, b.case_id,
       CASE WHEN c.claimed_at IS NULL OR b.ct < c.claimed_at THEN 'OPEN'
            WHEN c.issued_at IS NULL OR b.ct < c.issued_at THEN
                 CASE WHEN c.status = 'AWAITING_INFO' AND b.ct >= c.final_at THEN 'AWAITING_INFO' ELSE 'IN_REVIEW' END
            WHEN c.responded_at IS NULL OR b.ct < c.responded_at THEN 'FORWARDED'
            WHEN c.answer_action = 'DECLINED' THEN 'PLATFORM_DECLINED'
            WHEN c.answer_action = 'NEEDS_MORE_INFO' THEN 'IN_REVIEW'
            ELSE c.status END,
       CASE WHEN b.j <= (SELECT ncases FROM bench_param) THEN 'opened case' ELSE 'joined existing case' END
FROM bench_complaint b
JOIN bench_complaint_id i ON i.j = b.j
JOIN bench_case c ON c.id = b.case_id;

INSERT INTO bench_event
SELECT c.claimed_at, (c.h_misc / 3) % 1000000, 1, c.reviewer_id, 'REVIEWER', 'case.claimed', 'case', c.id, c.id,
       'IN_REVIEW', NULL
FROM bench_case c WHERE c.claimed_at IS NOT NULL
UNION ALL
SELECT c.issued_at, (c.h_misc / 13) % 1000000, 2, c.reviewer_id, 'REVIEWER', 'case.forwarded', 'case', c.id, c.id,
       'FORWARDED', c.urgency
FROM bench_case c WHERE c.issued_at IS NOT NULL
UNION ALL
SELECT c.acknowledged_at, (c.h_misc / 17) % 1000000, 3, c.platform_rep_id, 'PLATFORM', 'takedown.acknowledged',
       'takedown_request', t.id, c.id, NULL, NULL
FROM bench_case c JOIN takedown_requests t ON t.case_id = c.id WHERE c.acknowledged_at IS NOT NULL
UNION ALL
SELECT c.responded_at, (c.h_misc / 19) % 1000000, 4, c.platform_rep_id, 'PLATFORM', 'takedown.answered',
       'takedown_request', t.id, c.id, NULL,
       t.action || CASE WHEN t.responded_at > t.due_at THEN ' (late)' ELSE '' END || ': ' || t.statement_of_reasons
FROM bench_case c JOIN takedown_requests t ON t.case_id = c.id WHERE c.responded_at IS NOT NULL
UNION ALL
SELECT c.responded_at, (c.h_misc / 19) % 1000000, 5, c.platform_rep_id, 'PLATFORM',
       CASE c.answer_action WHEN 'DECLINED' THEN 'case.platform_declined'
                            WHEN 'NEEDS_MORE_INFO' THEN 'case.platform_needs_more_info'
                            ELSE 'case.resolved' END,
       'case', c.id, c.id,
       CASE c.answer_action WHEN 'DECLINED' THEN 'PLATFORM_DECLINED'
                            WHEN 'NEEDS_MORE_INFO' THEN 'IN_REVIEW' ELSE 'RESOLVED' END,
       t.action || CASE WHEN t.responded_at > t.due_at THEN ' (late)' ELSE '' END || ': ' || t.statement_of_reasons
FROM bench_case c JOIN takedown_requests t ON t.case_id = c.id WHERE c.responded_at IS NOT NULL
UNION ALL
SELECT c.final_at, (c.h_misc / 23) % 1000000, 6, c.reviewer_id, 'REVIEWER', c.final_action, 'case', c.id, c.id,
       CASE c.final_action WHEN 'case.information_requested' THEN 'AWAITING_INFO'
                           WHEN 'case.rejected' THEN 'REJECTED'
                           WHEN 'case.escalated' THEN 'ESCALATED' ELSE 'CLOSED' END,
       CASE c.final_action
         WHEN 'case.rejected' THEN 'Tautan tidak menunjukkan pelanggaran; produk yang dijual bukan barang impor terlarang.'
         WHEN 'case.escalated' THEN (ARRAY['KOMDIGI', 'KEMENDAG', 'BEA_CUKAI', 'POLRI', 'OTHER'])[c.authority_idx + 1]
                                    || ': Indikasi pelanggaran berulang, diteruskan untuk penindakan.'
         WHEN 'case.closed' THEN 'Lapak sudah tidak aktif saat diperiksa; kasus ditutup.' END
FROM bench_case c WHERE c.final_action IS NOT NULL;

INSERT INTO events (id, at, actor_account_id, actor_role, action, subject_type, subject_id, case_id,
                    case_status, details)
SELECT row_number() OVER (ORDER BY at_s, ord, at_us, subject_id),
       pg_temp.ts(at_s, at_us), actor_account_id, actor_role, action, subject_type, subject_id,
       case_id, case_status, details
FROM bench_event;

-- ------------------------------------------------------------------------------------------
-- Transparency report counters: recounted from the rows (the triggers that keep them are skipped
-- by a superuser's bulk load on PostgreSQL; on SQLite they ran, and this recount replaces them).
-- ------------------------------------------------------------------------------------------
DELETE FROM report_platform_days;
DELETE FROM report_category_days;
DELETE FROM report_answer_times;
DELETE FROM report_unanswered_due;
INSERT INTO report_unanswered_due (day, platform_id, due_hour, requests)
SELECT report_day(issued_at), platform_id, report_hour(due_at), COUNT(*)
FROM takedown_requests WHERE status <> 'ANSWERED' GROUP BY 1, 2, 3;
INSERT INTO report_platform_days (day, platform_id, issued, acknowledged, answered, answered_on_time, acted_on_time, acted_late, removed, restricted, geo_blocked, declined, needs_more_info, relistings)
SELECT report_day(issued_at), platform_id,
       SUM(1),
       SUM(CASE WHEN acknowledged_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'ANSWERED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'ANSWERED' AND responded_at <= due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND responded_at <= due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN action IN ('REMOVED', 'RESTRICTED', 'GEO_BLOCKED') AND responded_at > due_at THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'REMOVED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'RESTRICTED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'GEO_BLOCKED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'DECLINED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN action = 'NEEDS_MORE_INFO' THEN 1 ELSE 0 END),
       SUM(0)
FROM takedown_requests GROUP BY 1, 2;
INSERT INTO report_platform_days (day, platform_id, relistings)
SELECT report_day(created_at), platform_id, COUNT(*) FROM cases
WHERE relisted_from_id IS NOT NULL GROUP BY 1, 2
ON CONFLICT (day, platform_id) DO UPDATE SET relistings = report_platform_days.relistings + excluded.relistings;
INSERT INTO report_category_days (day, category_id, complaints)
SELECT report_day(created_at), category_id, COUNT(*) FROM complaints GROUP BY 1, 2;
INSERT INTO report_category_days (day, category_id, cases_opened, rejected, forwarded, resolved)
SELECT report_day(c.created_at), c.category_id, COUNT(*),
       SUM(CASE WHEN c.status = 'REJECTED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN EXISTS (SELECT 1 FROM takedown_requests t WHERE t.case_id = c.id) THEN 1 ELSE 0 END),
       SUM(CASE WHEN c.status = 'RESOLVED' THEN 1 ELSE 0 END)
FROM cases c GROUP BY 1, 2
ON CONFLICT (day, category_id) DO UPDATE SET cases_opened = report_category_days.cases_opened + excluded.cases_opened,
        rejected = report_category_days.rejected + excluded.rejected,
        forwarded = report_category_days.forwarded + excluded.forwarded,
        resolved = report_category_days.resolved + excluded.resolved;
INSERT INTO report_answer_times (day, platform_id, bucket, answers, seconds)
SELECT x.day, x.platform_id, report_answer_bucket(x.s) AS b, COUNT(*), SUM(x.s)
FROM (SELECT report_day(issued_at) AS day, platform_id, report_answer_seconds(issued_at, responded_at) AS s
      FROM takedown_requests WHERE status = 'ANSWERED' AND responded_at IS NOT NULL) x
GROUP BY 1, 2, 3;

-- ------------------------------------------------------------------------------------------
-- Sequences follow the explicit ids.
-- ------------------------------------------------------------------------------------------
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['accounts', 'cases', 'complaints', 'complaint_evidence', 'takedown_requests',
                             'messages', 'events'] LOOP
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), (SELECT coalesce(max(id), 0) + 1 FROM %I), false)', t, t);
    END LOOP;
END $$;

COMMIT;

-- Only a superuser changed it (above); another role may not even reset it. One line: the statements
-- after COMMIT are split at line ends.
DO $$ BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN PERFORM set_config('session_replication_role', 'origin', false); END IF; END $$;
VACUUM (ANALYZE) accounts, cases, complaints, complaint_evidence, takedown_requests, messages, events,
    report_platform_days, report_category_days, report_answer_times, report_unanswered_due;
ANALYZE;

SELECT 'seeded' AS seed, (SELECT count(*) FROM complaints) AS complaints, (SELECT count(*) FROM cases) AS cases,
       (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM takedown_requests) AS takedown_requests,
       (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM complaint_evidence) AS evidence;
