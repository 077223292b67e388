/* Record names the database must take whole or refuse whole: names with
 * ".tmp." or a leading "." are listed, deleted and found like any other;
 * blank-edged names and names whose link would pass NAME_MAX are refused
 * with nothing written; temporaries never follow a planted symlink and a
 * killed writer's temporary is swept by the next writer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "t.h"
#include "err.h"
#include "idb.h"
#include "log.h"

static char root[64];

static struct rec *mknode(const char *t, const char *a, const char *tpgt)
{
	struct rec *r = rec_new_default(REC_NODE);

	rec_set(r, K_NODE_NAME, t);
	rec_set(r, K_NODE_CONN_0_ADDRESS, a);
	rec_set(r, K_NODE_CONN_0_PORT, "3260");
	rec_set(r, K_NODE_TPGT, tpgt);
	rec_set(r, K_NODE_SESSION_AUTOSCAN_EN, "No");	/* sidecar too */
	return r;
}

/* Files (not directories) anywhere below dir. */
static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) != NULL) {
		char p[1024];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0)
			n += S_ISDIR(st.st_mode) ? count_files(p) : 1;
	}
	if (d)
		closedir(d);
	return n;
}

static size_t count_nodes(struct idb *db, const char *target)
{
	struct idb_match m = IDB_MATCH_ANY;
	size_t n = 0;

	m.m_target = target;
	T_INTEQ(idb_node_foreach(db, &m, NULL, NULL, &n), RC_OK);
	return n;
}

static void test_dotted_names_listed(void)
{
	static const char *names[] = { "iqn.2026-01.example.tmp.x:disk1", ".hidden:x",
				       "iqn.2026-01.example:a.tmp.b" };
	struct idb *db;

	T_INTEQ(idb_open(root, &db), RC_OK);
	for (size_t i = 0; i < 3; i++) {
		struct rec *r = mknode(names[i], "192.0.2.1", "1");

		T_INTEQ(idb_node_write(db, r), RC_OK);
		T_INTEQ(count_nodes(db, names[i]), 1);
		T_INTEQ(idb_node_delete(db, r), RC_OK);
		T_INTEQ(count_nodes(db, names[i]), 0);
		rec_free(r);
	}
	idb_close(db);
}

static void test_refused_whole(void)
{
	char longname[256], base[512];
	struct idb *db;
	struct rec *r;
	int before;

	snprintf(base, sizeof(base), "%s", root);
	T_INTEQ(idb_open(root, &db), RC_OK);
	before = count_files(base);
	/* 204-byte IQN + IPv6 portal: each component fits, the link does not */
	snprintf(longname, sizeof(longname), "iqn.2026-01.example:%0184d", 7);
	T_INTEQ(strlen(longname), 204);
	r = mknode(longname, "fd00:1111:2222:3333:4444:5555:6666:7777", "1");
	T_CHECK(idb_node_problem(r) != NULL);
	T_INTEQ(idb_node_write(db, r), RC_INVAL);
	T_INTEQ(idb_node_exists(db, r), 0);
	rec_free(r);
	/* legal 223-byte IQN on IPv4 fits */
	snprintf(longname, sizeof(longname), "iqn.2026-01.example:%0203d", 7);
	r = mknode(longname, "192.0.2.9", "1");
	T_CHECK(idb_node_problem(r) == NULL);
	rec_free(r);
	/* blank-edged and control-character names */
	static const char *bad[] = { "iqn.x:ws ", " iqn.x:ws", "iqn.x:\x1b[2Jws", "iqn.x:a\tb" };
	for (size_t i = 0; i < 4; i++) {
		r = mknode(bad[i], "192.0.2.2", "1");
		T_INTEQ(idb_node_write(db, r), RC_INVAL);
		rec_free(r);
	}
	T_INTEQ(count_files(base), before);
	idb_close(db);
}

static void test_tmp_files(void)
{
	char victim[128], plant[1024], stale[256];
	struct idb *db;
	struct rec *r = mknode("iqn.2026-01.example:tmp", "192.0.2.3", "1");
	struct stat st;
	char *path;
	int fd;

	T_INTEQ(idb_open(root, &db), RC_OK);
	T_INTEQ(idb_node_write(db, r), RC_OK);
	path = idb_node_path(db, r);
	/* a symlink at the name an older writer would have used */
	snprintf(victim, sizeof(victim), "%s/victim", root);
	fd = open(victim, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	close(fd);
	snprintf(plant, sizeof(plant), "%s.tmp.%ld", path, (long)getpid());
	T_INTEQ(symlink(victim, plant), 0);
	/* what a writer killed after creating its temporary leaves */
	snprintf(stale, sizeof(stale), "%s/.idb.tmp", root);
	T_CHECK(mkdir(stale, 0700) == 0 || errno == EEXIST);
	snprintf(stale, sizeof(stale), "%s/.idb.tmp/leftover", root);
	fd = open(stale, O_CREAT | O_WRONLY, 0600);
	T_CHECK(fd >= 0);
	close(fd);
	T_INTEQ(idb_node_write(db, r), RC_OK);
	T_INTEQ(stat(victim, &st), 0);
	T_INTEQ(st.st_size, 0);
	T_CHECK(access(stale, F_OK) != 0);
	/* nor is the temporaries' directory left in the database */
	snprintf(stale, sizeof(stale), "%s/.idb.tmp", root);
	T_CHECK(access(stale, F_OK) != 0);
	unlink(plant);
	unlink(victim);
	T_INTEQ(idb_node_delete(db, r), RC_OK);
	free(path);
	rec_free(r);
	idb_close(db);
}

int main(void)
{
	char cmd[128];

	log_set_prog("test_idb_names");
	log_set_level(-1);
	snprintf(root, sizeof(root), "/tmp/test_idb_names.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	T_RUN(test_dotted_names_listed);
	T_RUN(test_refused_whole);
	T_RUN(test_tmp_files);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd))
		return 1;
	return T_DONE();
}
