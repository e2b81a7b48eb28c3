/*
 * version.h - version ordering the way each packaging system orders.
 *
 * A version is only meaningful inside its own scheme: Debian's
 * 1.1.5+ds1-1+deb12u1 carries a fix that upstream shipped in 1.1.12, so
 * comparing "1.1.5" with "1.1.12" gives the wrong verdict. Callers pick
 * the scheme of the package they read (dpkg for a Debian package, rpm for
 * an RPM, upstream for a static binary) and compare only within it.
 *
 * Every function takes NUL-terminated strings and returns <0, 0 or >0 like
 * strcmp; none allocates. Inputs are bounded by their NUL only; digit runs
 * of any length are compared without overflow (leading zeros dropped, then
 * by length, then lexically).
 */
#ifndef DS_VERSION_H
#define DS_VERSION_H

#include <stdbool.h>

/* Debian policy 5.6.12: [epoch:]upstream[-revision]; '~' sorts before
 * everything, even the end of the string. */
int ver_dpkg_cmp(const char *a, const char *b);
/* A syntactically valid Debian version (epoch digits, upstream starting
 * with a digit, allowed characters only). */
bool ver_dpkg_valid(const char *v);

/* rpmvercmp() plus [epoch:]version[-release]: alphanumeric segments,
 * numbers above letters, '~' before and '^' after the end. */
int ver_rpm_cmp(const char *a, const char *b);

/* An upstream release number as projects print it ("v1.1.12",
 * "1.0.0-rc93", "1.4.0-rc.2", "6.1.76"): a pre-release (-rc, -beta,
 * -alpha, -dev) sorts before its release; build metadata (+...) is
 * ignored. */
int ver_upstream_cmp(const char *a, const char *b);

/* Semantic Versioning 2.0.0 (npm, Go modules with their pseudo-versions
 * and +incompatible, crates.io); a leading v is ignored, missing minor or
 * patch numbers are 0. */
int ver_semver_cmp(const char *a, const char *b);

/* PEP 440 (PyPI), normalised as pypa/packaging does; a string that is not
 * a PEP 440 version orders after every valid one, by its bytes. */
int ver_pep440_cmp(const char *a, const char *b);

/* Alpine's apk-tools: numbers, a letter, _alpha.._rc / _cvs.._p suffixes,
 * -rN revisions. */
int ver_apk_cmp(const char *a, const char *b);

/* RubyGems' Gem::Version: numeric and letter segments, any letter a
 * pre-release below the release, trailing zeros ignored; a string
 * RubyGems refuses orders after every valid one, by its bytes. */
int ver_gem_cmp(const char *a, const char *b);

/* Maven's ComparableVersion (3.8): nested lists of numbers and
 * qualifiers, alpha < beta < milestone < rc < snapshot < release < sp. */
int ver_maven_cmp(const char *a, const char *b);

#endif
