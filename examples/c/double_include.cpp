// The header must be includable twice (include guard) and usable from C++ (extern "C").
#include "l610.h"
#include "l610.h"

#include <cstdio>
#include <cstring>

int main()
{
    char text[64];
    size_t n = 0;
    l610_status st = l610_status_text(L610_TIMEOUT, text, sizeof text, &n);
    if (st != L610_OK || std::strcmp(l610_version(), L610_VERSION) != 0) {
        std::fprintf(stderr, "double_include: unexpected result %u\n", static_cast<unsigned>(st));
        return 1;
    }
    std::printf("double_include: %s, library %s\n", text, l610_version());
    return 0;
}
