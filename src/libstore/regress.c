/* ssrwatch — regression suite runs in the store (regressstore.h). */
#include "ssrwatch/regressstore.h"
#include "store_priv.h"

int ssr_store_regress_put(ssr_store_t *st, const ssr_regress_row_t *r, ssr_diag_t *diag)
{
	store_num_t c = store_num(r->cases), p = store_num(r->passed),
	            f = store_num(r->failed_errors);
	const char *v[] = {r->date, r->target, r->implementation, r->version, r->suite, c.v,
	                   p.v,     f.v};
	return store_db_exec(
	    st->db,
	    "INSERT INTO regress_run (run_date, target, implementation, version,"
	    " suite, cases, passed, failed_errors) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
	    " ON CONFLICT (run_date, target, suite) DO UPDATE SET"
	    " implementation = excluded.implementation, version = excluded.version,"
	    " cases = excluded.cases, passed = excluded.passed,"
	    " failed_errors = excluded.failed_errors",
	    8, v, NULL, NULL, diag);
}
