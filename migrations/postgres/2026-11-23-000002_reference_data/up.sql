-- Reference data from SPEC §3. Response hours follow Permenkominfo 5/2020: 24 hours, 4 hours when urgent.
-- Host names identify a platform's URLs; subdomains (m., www., vt., …) match their parent host.

INSERT INTO platforms (slug, name, response_hours, urgent_response_hours) VALUES
    ('instagram', 'Instagram', 24, 4),
    ('tiktok', 'TikTok', 24, 4),
    ('facebook', 'Facebook', 24, 4),
    ('shopee', 'Shopee', 24, 4),
    ('tokopedia', 'Tokopedia', 24, 4),
    ('lazada', 'Lazada', 24, 4),
    ('bukalapak', 'Bukalapak', 24, 4),
    ('google', 'Google (Search, YouTube)', 24, 4),
    ('x', 'X (Twitter)', 24, 4);

INSERT INTO platform_hosts (host, platform_id)
SELECT h.host, p.id FROM platforms p JOIN (
    SELECT 'instagram' AS slug, 'instagram.com' AS host
    UNION ALL SELECT 'instagram', 'instagr.am'
    UNION ALL SELECT 'tiktok', 'tiktok.com'
    UNION ALL SELECT 'facebook', 'facebook.com'
    UNION ALL SELECT 'facebook', 'fb.com'
    UNION ALL SELECT 'facebook', 'fb.me'
    UNION ALL SELECT 'facebook', 'fb.watch'
    UNION ALL SELECT 'shopee', 'shopee.co.id'
    UNION ALL SELECT 'shopee', 'shopee.com'
    UNION ALL SELECT 'shopee', 'shp.ee'
    UNION ALL SELECT 'tokopedia', 'tokopedia.com'
    UNION ALL SELECT 'tokopedia', 'tokopedia.link'
    UNION ALL SELECT 'lazada', 'lazada.co.id'
    UNION ALL SELECT 'lazada', 'lazada.com'
    UNION ALL SELECT 'bukalapak', 'bukalapak.com'
    UNION ALL SELECT 'google', 'google.com'
    UNION ALL SELECT 'google', 'google.co.id'
    UNION ALL SELECT 'google', 'youtube.com'
    UNION ALL SELECT 'google', 'youtu.be'
    UNION ALL SELECT 'x', 'x.com'
    UNION ALL SELECT 'x', 'twitter.com'
) h ON h.slug = p.slug;

INSERT INTO categories (code, label_id, label_en, legal_basis, severity, position) VALUES
    ('USED_CLOTHING_IMPORT', 'Impor pakaian bekas', 'Imported used clothing',
     'Permendag 18/2021 sebagaimana diubah Permendag 40/2022: pakaian, tas dan alas kaki bekas dilarang diimpor.', 4, 1),
    ('PROHIBITED_IMPORT', 'Barang impor terlarang lainnya', 'Other prohibited imports',
     'Permendag 18/2021 sebagaimana diubah Permendag 40/2022 tentang barang dilarang ekspor dan impor.', 4, 2),
    ('CREATOR_PROMOTION', 'Promosi barang ilegal oleh kreator konten', 'Promotion of illegal goods by content creators',
     'Permendag 31/2023 tentang perizinan berusaha, periklanan, pembinaan dan pengawasan pelaku usaha dalam PMSE; Permenkominfo 5/2020.', 3, 3),
    ('CROSS_BORDER_DIRECT_SALE', 'Penjualan langsung lintas negara', 'Cross-border direct sale',
     'Permendag 31/2023: barang jadi asal luar negeri yang dijual langsung lintas negara paling sedikit USD 100 per unit.', 3, 4),
    ('SOCIAL_COMMERCE_TRANSACTION', 'Transaksi di media sosial (social commerce)', 'Transactions inside social media (social commerce)',
     'Permendag 31/2023: social commerce hanya boleh mempromosikan barang, tidak memfasilitasi transaksi pembayaran.', 3, 5),
    ('PREDATORY_PRICING', 'Jual rugi (predatory pricing)', 'Predatory pricing',
     'Permendag 31/2023; UU 5/1999 tentang Larangan Praktik Monopoli dan Persaingan Usaha Tidak Sehat.', 2, 6),
    ('FOREIGN_SELLER_NO_ENTITY', 'Penjual asing tanpa badan usaha lokal', 'Foreign seller without local entity',
     'Permendag 31/2023: pedagang luar negeri wajib menunjuk perwakilan atau badan usaha di Indonesia.', 2, 7),
    ('COUNTERFEIT', 'Barang palsu', 'Counterfeit goods',
     'UU 20/2016 tentang Merek dan Indikasi Geografis; UU 8/1999 tentang Perlindungan Konsumen.', 3, 8),
    ('SMUGGLED_GOODS', 'Barang selundupan', 'Smuggled goods',
     'UU 10/1995 sebagaimana diubah UU 17/2006 tentang Kepabeanan.', 5, 9),
    ('OTHER', 'Lainnya', 'Other',
     'Peraturan perundang-undangan di bidang perdagangan dan transaksi elektronik (UU 7/2014 tentang Perdagangan; PP 80/2019 tentang PMSE).', 1, 10);
