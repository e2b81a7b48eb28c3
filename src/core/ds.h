/*
 * ds.h - the umbrella header every docksec source file includes first.
 *
 * It pulls in the C library headers the code base uses everywhere, the core
 * utilities (errors, allocation, strings, buffers, arenas) and, last,
 * banned.h, so that no file can call a banned function.
 */
#ifndef DS_H
#define DS_H

#define _GNU_SOURCE 1

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "alloc.h"
#include "str.h"
#include "buf.h"
#include "arena.h"

#define DS_VERSION "0.1.0"
#define DS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "banned.h"

#endif
