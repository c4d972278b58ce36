// What Swift cannot import from PC/SC headers: pointer-valued and function-like macros.
// Everything is prefixed CPCSC_ so it never collides with the platform headers.
#ifndef CPCSC_SHIM_H
#include <string.h>
#define CPCSC_SHIM_H

#ifdef __APPLE__
#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#else
#include <winscard.h>
#include <reader.h>
#endif

/// Protocol control information for SCardTransmit, per active protocol.
static inline const SCARD_IO_REQUEST *CPCSC_pciT0(void) { return SCARD_PCI_T0; }
static inline const SCARD_IO_REQUEST *CPCSC_pciT1(void) { return SCARD_PCI_T1; }
static inline const SCARD_IO_REQUEST *CPCSC_pciRaw(void) { return SCARD_PCI_RAW; }

/// (DWORD)-1: lets the library allocate an output buffer (freed with SCardFreeMemory).
static inline DWORD CPCSC_autoAllocate(void) {
#ifdef SCARD_AUTOALLOCATE
    return SCARD_AUTOALLOCATE;
#else
    return (DWORD)(-1);
#endif
}
static inline DWORD CPCSC_infinite(void) { return INFINITE; }

/// Vendor control codes for SCardControl (differs between platforms).
static inline DWORD CPCSC_ctlCode(DWORD code) {
#ifdef SCARD_CTL_CODE
    return SCARD_CTL_CODE(code);
#else
    return 0x42000000 + code;
#endif
}

/// SCardControl is a macro alias (SCardControl132) on macOS; this wrapper gives Swift one name.
static inline LONG CPCSC_control(SCARDHANDLE card, DWORD code, const void *in, DWORD inLength,
                                 void *out, DWORD outLength, DWORD *returned) {
    return SCardControl(card, code, in, inLength, out, outLength, returned);
}

/// Attribute identifiers for SCardGetAttrib (function-like macros in reader.h).
#define CPCSC_ATTR(cls, tag) ((((DWORD)(cls)) << 16) | ((DWORD)(tag)))
static inline DWORD CPCSC_attrVendorName(void) { return CPCSC_ATTR(1, 0x0100); }
static inline DWORD CPCSC_attrVendorIFDType(void) { return CPCSC_ATTR(1, 0x0101); }
static inline DWORD CPCSC_attrVendorIFDVersion(void) { return CPCSC_ATTR(1, 0x0102); }
static inline DWORD CPCSC_attrVendorIFDSerial(void) { return CPCSC_ATTR(1, 0x0103); }
static inline DWORD CPCSC_attrMaxInput(void) { return CPCSC_ATTR(7, 0xA007); }
static inline DWORD CPCSC_attrATRString(void) { return CPCSC_ATTR(9, 0x0303); }
static inline DWORD CPCSC_attrDeviceFriendlyName(void) { return CPCSC_ATTR(0x7FFF, 0x0003); }
static inline DWORD CPCSC_attrChannelID(void) { return CPCSC_ATTR(2, 0x0110); }

/// Sizes: MAX_ATR_SIZE is 33 everywhere; MAX_BUFFER_SIZE_EXTENDED is pcsc-lite's cap for extended APDUs.
static inline DWORD CPCSC_maxATRSize(void) { return MAX_ATR_SIZE; }
static inline DWORD CPCSC_maxBufferExtended(void) {
#ifdef MAX_BUFFER_SIZE_EXTENDED
    return MAX_BUFFER_SIZE_EXTENDED;
#else
    return 65548;
#endif
}

/// The reader state record's size differs (packed on macOS); Swift code uses these helpers
/// so it never depends on the layout.
static inline SCARD_READERSTATE CPCSC_readerState(const char *name, DWORD current) {
    SCARD_READERSTATE s;
    memset(&s, 0, sizeof s);
    s.szReader = name;
    s.dwCurrentState = current;
    return s;
}
#endif
