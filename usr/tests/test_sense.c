/* Sense parsing against the hand-written vectors in testdata/sense (also
 * read by the Go harness), plus every truncation of a valid vector: none
 * may crash or read past the end (ASan checks the latter). */
#include <dirent.h>
#include <stdlib.h>
#include <stdint.h>
#include "t.h"
#include "sense.h"

#define VEC_DIR "testdata/sense"
#define VEC_MAX 512

struct vec {
	char name[256];
	int ok, aen, desc;
	unsigned key, asc, ascq;
	char info[32];
	uint8_t bytes[VEC_MAX];
	size_t len;
};

static int vec_load(const char *path, struct vec *v)
{
	char line[512], res[16];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	v->len = 0;
	strcpy(v->info, "-");
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#') {
			if (sscanf(line, "# expect: %15s aen=%d desc=%d key=%x asc=%x ascq=%x info=%31s",
				   res, &v->aen, &v->desc, &v->key, &v->asc, &v->ascq, v->info) >= 2)
				v->ok = strcmp(res, "ok") == 0;
			continue;
		}
		for (char *p = line; *p;) {
			char *end;
			unsigned long b = strtoul(p, &end, 16);
			if (end == p)
				break;
			if (v->len < VEC_MAX)
				v->bytes[v->len++] = (uint8_t)b;
			p = end;
		}
	}
	fclose(f);
	return 0;
}

static int parse(const struct vec *v, const uint8_t *b, size_t len, struct sense *s)
{
	return v->aen ? sense_parse_aen(b, len, s) : sense_parse(b, len, s);
}

static void vec_check(const struct vec *v)
{
	struct sense s;
	int rc = parse(v, v->bytes, v->len, &s);

	if (!v->ok) {
		if (rc == 0)
			fprintf(stderr, "%s: accepted, expected error\n", v->name);
		T_CHECK(rc != 0);
		return;
	}
	if (rc != 0)
		fprintf(stderr, "%s: rejected\n", v->name);
	T_INTEQ(rc, 0);
	T_INTEQ(s.sn_descriptor, v->desc);
	T_INTEQ(s.sn_key, v->key);
	T_INTEQ(s.sn_asc, v->asc);
	T_INTEQ(s.sn_ascq, v->ascq);
	if (strcmp(v->info, "-") == 0)
		T_INTEQ(s.sn_info_valid, 0);
	else {
		T_INTEQ(s.sn_info_valid, 1);
		T_INTEQ(s.sn_info, strtoull(v->info, NULL, 16));
	}
}

/* Each shorter prefix of a vector goes through the parser on a heap copy of
 * exactly that size, so ASan flags any read past it. */
static void vec_truncations(const struct vec *v)
{
	struct sense s;

	for (size_t n = 0; n < v->len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, v->bytes, n);
		(void)parse(v, copy, n, &s);
		free(copy);
	}
}

static void test_vectors(void)
{
	DIR *d = opendir(VEC_DIR);
	struct dirent *e;
	int n = 0, nok = 0;

	T_CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct vec v;
		char path[600];
		size_t l = strlen(e->d_name);

		if (l < 5 || strcmp(e->d_name + l - 4, ".hex"))
			continue;
		memset(&v, 0, sizeof(v));
		snprintf(v.name, sizeof(v.name), "%s", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", VEC_DIR, e->d_name);
		T_INTEQ(vec_load(path, &v), 0);
		vec_check(&v);
		vec_truncations(&v);
		n++;
		nok += v.ok;
	}
	closedir(d);
	T_CHECK(n >= 15);        /* the folder really was read */
	T_CHECK(nok >= 5 && nok < n);
}

static void test_luns_changed(void)
{
	const uint8_t fixed[] = { 0x70, 0, 0x06, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x3f, 0x0e, 0, 0, 0, 0 };
	const uint8_t other[] = { 0x72, 0x06, 0x29, 0x00, 0, 0, 0, 0 };
	struct sense s;

	T_INTEQ(sense_parse(fixed, sizeof(fixed), &s), 0);
	T_CHECK(sense_is_luns_changed(&s));
	T_STREQ(sense_key_name(s.sn_key), "UNIT ATTENTION");
	T_INTEQ(sense_parse(other, sizeof(other), &s), 0);
	T_CHECK(!sense_is_luns_changed(&s));
	T_CHECK(!sense_is_luns_changed(NULL));
	T_CHECK(sense_parse(NULL, 4, &s) != 0);
	T_CHECK(sense_parse_aen(NULL, 4, &s) != 0);
}

int main(void)
{
	T_RUN(test_vectors);
	T_RUN(test_luns_changed);
	return T_DONE();
}
