// zlib: gzip files (gzopen/gzread) and in-memory inflate.
#include <zlib.h>
