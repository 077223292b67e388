/* key=value\0 lists (RFC 7143 section 6.1). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"

void text_init(struct text_list *l)
{
	memset(l, 0, sizeof(*l));
}

void text_free(struct text_list *l)
{
	for (size_t i = 0; i < l->tl_n; i++) {
		free(l->tl_kv[i].tk_key);
		free(l->tl_kv[i].tk_val);
	}
	free(l->tl_kv);
	text_init(l);
}

static int text_add_len(struct text_list *l, const char *key, size_t klen,
			const char *val, size_t vlen)
{
	if (klen == 0 || klen > TEXT_KEY_MAX || vlen > TEXT_VAL_MAX)
		return -EINVAL;
	if (l->tl_n == l->tl_cap) {
		size_t cap = l->tl_cap ? 2 * l->tl_cap : 16;
		struct text_kv *kv = realloc(l->tl_kv, cap * sizeof(*kv));
		if (!kv)
			return -ENOMEM;
		l->tl_kv = kv;
		l->tl_cap = cap;
	}
	char *k = strndup(key, klen), *v = strndup(val, vlen);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	l->tl_kv[l->tl_n].tk_key = k;
	l->tl_kv[l->tl_n].tk_val = v;
	l->tl_n++;
	return 0;
}

int text_add(struct text_list *l, const char *key, const char *val)
{
	return text_add_len(l, key, strlen(key), val, strlen(val));
}

int text_addf(struct text_list *l, const char *key, const char *fmt, ...)
{
	char buf[TEXT_VAL_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EINVAL;
	return text_add(l, key, buf);
}

const char *text_get(const struct text_list *l, const char *key)
{
	for (size_t i = 0; i < l->tl_n; i++)
		if (strcmp(l->tl_kv[i].tk_key, key) == 0)
			return l->tl_kv[i].tk_val;
	return NULL;
}

int text_parse(const uint8_t *buf, size_t len, struct text_list *out)
{
	const char *p = (const char *)buf, *end;

	text_init(out);
	if (!len)
		return 0;	/* buf may be NULL: no arithmetic on it */
	end = p + len;
	while (p < end) {
		if (*p == '\0') {  /* padding or an empty pair: skip */
			p++;
			continue;
		}
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		const char *eq = nul ? memchr(p, '=', (size_t)(nul - p)) : NULL;
		int rc = -EBADMSG;
		if (eq)
			rc = text_add_len(out, p, (size_t)(eq - p), eq + 1, (size_t)(nul - eq - 1));
		if (rc) {
			text_free(out);
			return rc == -ENOMEM ? rc : -EBADMSG;
		}
		p = nul + 1;
	}
	return 0;
}

size_t text_encoded_len(const struct text_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->tl_n; i++)
		n += strlen(l->tl_kv[i].tk_key) + strlen(l->tl_kv[i].tk_val) + 2;
	return n;
}

size_t text_encode(const struct text_list *l, uint8_t *buf, size_t cap)
{
	size_t off = 0;

	if (text_encoded_len(l) > cap)
		return 0;
	for (size_t i = 0; i < l->tl_n; i++) {
		int n = sprintf((char *)buf + off, "%s=%s", l->tl_kv[i].tk_key, l->tl_kv[i].tk_val);
		off += (size_t)n + 1;  /* keep the NUL sprintf wrote */
	}
	return off;
}

void text_buf_init(struct text_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void text_buf_free(struct text_buf *b)
{
	free(b->tb_data);
	text_buf_init(b);
}

int text_buf_append(struct text_buf *b, const uint8_t *data, size_t len)
{
	if (len > TEXT_TOTAL_MAX || b->tb_len + len > TEXT_TOTAL_MAX)
		return -E2BIG;
	if (b->tb_len + len > b->tb_cap) {
		size_t cap = b->tb_cap ? b->tb_cap : 4096;
		while (cap < b->tb_len + len)
			cap *= 2;
		uint8_t *d = realloc(b->tb_data, cap);
		if (!d)
			return -ENOMEM;
		b->tb_data = d;
		b->tb_cap = cap;
	}
	if (len)
		memcpy(b->tb_data + b->tb_len, data, len);
	b->tb_len += len;
	return 0;
}
