/* Loading a harness config (configs/NAME.ini, section [harness]): the defaults from the key
 * table, then the file on top, with the same error form as scenario files. */
#include "scenario.h"
#include "keys.h"

#include <errno.h>
#include <string.h>

int config_load(const char *path, struct harness_config *cfg, char *err, size_t errlen)
{
	struct inifile_schema sch = { .set = keys_set };
	struct inifile_seen seen;
	char why[512];
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	sch.tab = keys_config(&sch.n);
	sch.sections = keys_config_sections(&sch.nsections);
	ret = keys_defaults(sch.tab, sch.n, cfg, why, sizeof(why));
	if (ret < 0) {
		errf(err, errlen, "%s: %s", path ? path : "config", why);
		goto fail;
	}
	if (!path)
		return 0;
	ret = inifile_load(path, &sch, cfg, &seen, err, errlen);
	if (ret < 0)
		goto fail;
	return 0;
fail:
	config_free(cfg);
	return ret;
}

void config_free(struct harness_config *cfg)
{
	size_t n;
	const struct opt *tab = keys_config(&n);

	opt_free(tab, n, cfg);
	memset(cfg, 0, sizeof(*cfg));
}
