// libpng: decoding image folders and encoding report images (simplified png_image API).
#include <png.h>
