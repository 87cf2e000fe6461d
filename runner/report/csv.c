/* timeline.csv: every sample of a scenario, one row each, columns (and their units, in the
 * names) straight from the timeline's column table. */
#include "report_int.h"

#include <errno.h>

int report_csv_write(FILE *f, const struct timeline *tl)
{
	char buf[64];

	for (size_t c = 0; c < tl_ncolumns; c++) {
		if (c)
			fputc(',', f);
		csv_field(f, tl_columns[c].name);
	}
	fputc('\n', f);
	for (size_t i = 0; i < tl->ns; i++) {
		for (size_t c = 0; c < tl_ncolumns; c++) {
			if (c)
				fputc(',', f);
			tl_format(&tl_columns[c], &tl->s[i], buf, sizeof(buf));
			csv_field(f, buf);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}
