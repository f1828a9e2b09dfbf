/*
 * Prints glibc's logf and sincosf for every float32 in a range of bit patterns, as raw
 * little-endian float32 records: logf, sin, cos (the functions glibc's ifunc picked on this CPU),
 * then logf, sin, cos of glibc's non-FMA (SSE2) variants when their addresses are known for this
 * libm build, NaN otherwise. Used by check-float-math-exhaustive.ts.
 *
 * Usage: glibc-float-math-dump FIRST_BITS LAST_BITS [FMA_LOGF SSE2_LOGF FMA_SINCOSF SSE2_SINCOSF]
 *        glibc-float-math-dump - - [...]   reads the bit patterns (raw uint32) from stdin instead.
 *        glibc-float-math-dump count FIRST_BITS LAST_BITS FMA_LOGF SSE2_LOGF FMA_SINCOSF SSE2_SINCOSF
 *          prints only how many results differ between the FMA and non-FMA variants.
 * The four optional numbers are offsets of those functions inside libm.so.6; the SSE2 ones are
 * used only if the FMA ones equal what dlsym returned (so a different build is never misread).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef float (*unary_float)(float);
typedef void (*sincos_float)(float, float *, float *);

static int same_float(float a, float b) {
  return memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b);
}

int main(int argc, char **argv) {
  int count_only = argc == 8 && strcmp(argv[1], "count") == 0;
  if (count_only) {
    argc -= 1;
    argv += 1;
  }
  if (argc != 3 && argc != 7) {
    fprintf(stderr, "usage: %s FIRST_BITS LAST_BITS [FMA_LOGF SSE2_LOGF FMA_SINCOSF SSE2_SINCOSF]\n", argv[0]);
    return 2;
  }
  int from_stdin = strcmp(argv[1], "-") == 0;
  uint32_t first = from_stdin ? 0 : (uint32_t)strtoul(argv[1], NULL, 0);
  uint32_t last = from_stdin ? 0 : (uint32_t)strtoul(argv[2], NULL, 0);
  void *libm = dlopen("libm.so.6", RTLD_NOW);
  if (libm == NULL) {
    fprintf(stderr, "cannot open libm.so.6: %s\n", dlerror());
    return 1;
  }
  unary_float logf_selected = (unary_float)dlsym(libm, "logf");
  sincos_float sincosf_selected = (sincos_float)dlsym(libm, "sincosf");
  unary_float logf_sse2 = NULL;
  sincos_float sincosf_sse2 = NULL;
  Dl_info info;
  if (dladdr((void *)logf_selected, &info) != 0) {
    fprintf(stderr, "selected variants: logf at libm+0x%lx, sincosf at libm+0x%lx\n",
            (long)((char *)logf_selected - (char *)info.dli_fbase),
            (long)((char *)sincosf_selected - (char *)info.dli_fbase));
  }
  if (argc == 7 && dladdr((void *)logf_selected, &info) != 0) {
    char *base = (char *)info.dli_fbase;
    if ((char *)logf_selected == base + strtol(argv[3], NULL, 0) &&
        (char *)sincosf_selected == base + strtol(argv[5], NULL, 0)) {
      logf_sse2 = (unary_float)(base + strtol(argv[4], NULL, 0));
      sincosf_sse2 = (sincos_float)(base + strtol(argv[6], NULL, 0));
    } else {
      fprintf(stderr, "libm build differs from the known one: non-FMA variants not located\n");
    }
  }
  if (count_only) {
    if (logf_sse2 == NULL) return 1;
    uint64_t differ_log = 0, differ_sin = 0, differ_cos = 0;
    for (uint64_t bits = first; bits <= last; bits++) {
      uint32_t word = (uint32_t)bits;
      float x, s1, c1, s2, c2;
      memcpy(&x, &word, sizeof x);
      differ_log += !same_float(logf_selected(x), logf_sse2(x));
      sincosf_selected(x, &s1, &c1);
      sincosf_sse2(x, &s2, &c2);
      differ_sin += !same_float(s1, s2);
      differ_cos += !same_float(c1, c2);
    }
    printf("%llu floats: FMA and non-FMA variants differ: logf %llu, sinf %llu, cosf %llu\n",
           (unsigned long long)(last - first + 1ULL), (unsigned long long)differ_log,
           (unsigned long long)differ_sin, (unsigned long long)differ_cos);
    return 0;
  }
  enum { batch = 4096 };
  static float records[batch * 6];
  static uint32_t words[batch];
  uint64_t bits = first;
  for (;;) {
    int available = batch;
    if (from_stdin) {
      available = (int)fread(words, sizeof(uint32_t), batch, stdin);
      if (available == 0) break;
    } else if (bits > last) {
      break;
    }
    int count = 0;
    for (; count < available && (from_stdin || bits <= last); count++, bits++) {
      uint32_t word = from_stdin ? words[count] : (uint32_t)bits;
      float x;
      memcpy(&x, &word, sizeof x);
      float *record = records + 6 * count;
      record[0] = logf_selected(x);
      sincosf_selected(x, &record[1], &record[2]);
      if (logf_sse2 != NULL) {
        record[3] = logf_sse2(x);
        sincosf_sse2(x, &record[4], &record[5]);
      } else {
        record[3] = record[4] = record[5] = NAN;
      }
    }
    if (fwrite(records, sizeof(float) * 6, (size_t)count, stdout) != (size_t)count) return 1;
  }
  return fflush(stdout) == 0 ? 0 : 1;
}
