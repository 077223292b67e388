/* The one answer to "where is sysfs" (see sysfs_root.h). */
#include <stdlib.h>

#include "sysfs_root.h"

const char *sysfs_root_of(const char *root)
{
	const char *env;

	if (root)
		return root;
	env = getenv(SYSFS_ROOT_ENV);
	return env && *env ? env : SYSFS_ROOT_DEFAULT;
}
