#include "tapwatch/error.h"

const char *tw_strerror(int code)
{
    switch (code) {
    case TW_OK: return "success";
    case TW_ERR_NOMEM: return "out of memory";
    case TW_ERR_INVAL: return "invalid argument";
    case TW_ERR_IO: return "input/output error";
    case TW_ERR_PARSE: return "parse error";
    case TW_ERR_CAPACITY: return "hardware table capacity exceeded";
    case TW_ERR_NODEV: return "no such device";
    case TW_ERR_TIMEOUT: return "timed out";
    case TW_ERR_CRC: return "checksum mismatch";
    case TW_ERR_UNSUPPORTED: return "not supported";
    case TW_ERR_VERSION: return "unsupported format version";
    case TW_ERR_DEVICE: return "the device rejected the command";
    default: return "unknown error";
    }
}
