-- PowerDNS Recursor's trust anchor under test: the mock root's DS only.
clearTA('.')
addTA('.', "@TA_TAG@ @TA_ALG@ @TA_DTYPE@ @TA_DIGEST@")
