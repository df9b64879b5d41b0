/* Library-wide error codes: every tapwatch function that can fail returns 0 or one of these (negative). */
#ifndef TAPWATCH_ERROR_H
#define TAPWATCH_ERROR_H

enum tw_error {
    TW_OK = 0,
    TW_ERR_NOMEM = -1,       /* out of memory */
    TW_ERR_INVAL = -2,       /* invalid argument */
    TW_ERR_IO = -3,          /* reading or writing a file failed */
    TW_ERR_PARSE = -4,       /* malformed configuration, rule or image */
    TW_ERR_CAPACITY = -5,    /* a hardware table is full */
    TW_ERR_NODEV = -6,       /* no such device */
    TW_ERR_TIMEOUT = -7,     /* the device did not answer in time */
    TW_ERR_CRC = -8,         /* a checksum does not match */
    TW_ERR_UNSUPPORTED = -9, /* valid but not supported (by the hardware matcher, by this version) */
    TW_ERR_VERSION = -10,    /* a file or device of another format version */
    TW_ERR_DEVICE = -11,     /* the device rejected a command (bad address, count or length) */
};

/* A static English description of code (never NULL; unknown codes give "unknown error"). */
const char *tw_strerror(int code);

#endif
