/*
 * banned.h - functions docksec never calls.
 *
 * Included (via ds.h) by every source file, as git does: each of these has
 * no bound on what it writes or keeps hidden state, so a call to one is a
 * compile error rather than a review comment. Use buf_addf(), snprintf(),
 * memcpy() with a checked length, strtol() with an end pointer, and the
 * re-entrant splitters in src/core/str.h instead.
 */
#ifndef DS_BANNED_H
#define DS_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)

#endif
