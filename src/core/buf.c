/*
 * buf.c - growable strings and the escapers every report writer shares.
 */
#include "ds.h"

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void buf_release(struct buf *b)
{
	ds_free(b->p);
	buf_init(b);
}

void buf_clear(struct buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = 0;
}

static void spill(struct buf *b)
{
	if (b->n && !b->werr && fwrite(b->p, 1, b->n, b->sink) != b->n)
		b->werr = true;
	buf_clear(b);
}

void buf_sink(struct buf *b, FILE *out)
{
	b->sink = out;
}

int buf_flush(struct buf *b)
{
	if (b->sink && !b->oom)
		spill(b);
	return b->oom ? DS_ENOMEM : b->werr ? DS_EWRITE : 0;
}

static bool reserve(struct buf *b, size_t extra)
{
	if (b->oom || b->werr)
		return false;
	if (b->sink && b->n >= BUF_SPILL) {
		spill(b);
		if (b->werr)
			return false;
	}
	if (extra > SIZE_MAX - b->n - 1 ||
	    ds_grow((void **)&b->p, &b->cap, b->n + extra + 1, 1) != 0) {
		b->oom = true;
		return false;
	}
	return true;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int len;
	char small[256];

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (len < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)len < sizeof(small)) {
		buf_add(b, small, (size_t)len);
		return;
	}
	if (!reserve(b, (size_t)len))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

bool buf_ok(const struct buf *b)
{
	return !b->oom;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->p;

	if (!p && !b->oom)
		p = ds_strdup("");
	if (len)
		*len = b->n;
	buf_init(b);
	return p;
}

const char *buf_str(const struct buf *b)
{
	return b->p ? b->p : "";
}

void buf_add_json_str(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t w, run = i;

		/* copy a run of bytes that need no escaping in one append */
		while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
		       s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			buf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '"': buf_adds(b, "\\\""); break;
			case '\\': buf_adds(b, "\\\\"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			default:
				if (c < 0x20 || c == 0x7f)
					buf_addf(b, "\\u%04x", c);
				else
					buf_addc(b, (char)c);
			}
			i++;
			continue;
		}
		w = utf8_decode(s + i, n - i, &cp);
		if (w == 0) {
			buf_adds(b, "\\ufffd");
			i++;
		} else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029) {
			/* C1 controls (CSI among them) and the JS line breaks: escaped, so
			 * a report shown on a terminal or pasted into script stays inert */
			buf_addf(b, "\\u%04x", (unsigned)cp);
			i += w;
		} else {
			buf_add(b, s + i, w);
			i += w;
		}
	}
}

void buf_add_xml(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t w;

		if (c < 0x80) {
			switch (c) {
			case '<': buf_adds(b, "&lt;"); break;
			case '>': buf_adds(b, "&gt;"); break;
			case '&': buf_adds(b, "&amp;"); break;
			case '"': buf_adds(b, "&quot;"); break;
			case '\'': buf_adds(b, "&apos;"); break;
			default:
				/* XML 1.0 cannot carry most control characters at all. */
				if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
					buf_adds(b, "?");
				else
					buf_addc(b, (char)c);
			}
			i++;
			continue;
		}
		w = utf8_decode(s + i, n - i, &cp);
		if (w == 0) {
			buf_adds(b, "\xef\xbf\xbd");
			i++;
		} else if (cp >= 0x80 && cp <= 0x9f) { /* C1 controls: a character reference, never the byte */
			buf_addf(b, "&#x%x;", (unsigned)cp);
			i += w;
		} else {
			buf_add(b, s + i, w);
			i += w;
		}
	}
}

void buf_add_goquote(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	buf_addc(b, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t w;

		if (c < 0x80) {
			switch (c) {
			case '"': buf_adds(b, "\\\""); break;
			case '\\': buf_adds(b, "\\\\"); break;
			case '\a': buf_adds(b, "\\a"); break;
			case '\b': buf_adds(b, "\\b"); break;
			case '\f': buf_adds(b, "\\f"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			case '\v': buf_adds(b, "\\v"); break;
			default:
				if (c < 0x20 || c == 0x7f)
					buf_addf(b, "\\x%02x", c);
				else
					buf_addc(b, (char)c);
			}
			i++;
			continue;
		}
		w = utf8_decode(s + i, n - i, &cp);
		if (w == 0) {
			buf_addf(b, "\\x%02x", c);
			i++;
		} else if (cp == 0xfeff || (cp >= 0x80 && cp < 0xa0) || cp == 0xad) {
			/* Not printable in Go's unicode.IsPrint sense. */
			if (cp <= 0xffff)
				buf_addf(b, "\\u%04x", cp);
			else
				buf_addf(b, "\\U%08x", cp);
			i += w;
		} else {
			buf_add(b, s + i, w);
			i += w;
		}
	}
	buf_addc(b, '"');
}

/* See buf.h. */
void buf_add_visible(struct buf *b, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		size_t k;
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			buf_addf(b, "\\x%02x", c);
			continue;
		}
		if (len == 1) {
			buf_addc(b, (char)c);
			continue;
		}
		/* a UTF-8 sequence passes whole; a broken one byte by byte as
		 * \xNN, and C1 controls (U+0080-U+009F, 8-bit CSI among them) as \u00NN */
		for (k = 1; len && k < len; k++)
			if (i + k >= n || ((unsigned char)p[i + k] & 0xc0) != 0x80)
				len = 0;
		if (!len || (len == 2 && c < 0xc2)) {
			buf_addf(b, "\\x%02x", c);
		} else if (len == 2 && c == 0xc2 && (unsigned char)p[i + 1] < 0xa0) {
			buf_addf(b, "\\u00%02x", (unsigned char)p[i + 1]);
			i++;
		} else {
			buf_add(b, p + i, len);
			i += len - 1;
		}
	}
}

