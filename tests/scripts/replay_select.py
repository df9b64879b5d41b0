#!/usr/bin/python3
# Test-data selection for tests/scripts/test_replay.sh: prints the classic pcap files (as editcap -F pcap writes
# them) whose every frame the simulated device can take: 1..16383 captured bytes (0-byte frames are not replayed), and not cut by the snap length
# (the device sees only the captured bytes; analyze counts the wire length). Others are named on stderr.
import struct, sys
for path in sys.argv[1:]:
    why = None
    with open(path, 'rb') as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            why = 'short header'
        else:
            end = '<' if hdr[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
            snaplen = struct.unpack(end + 'I', hdr[16:20])[0]
            while why is None:
                rec = f.read(16)
                if len(rec) < 16:
                    break
                _, _, incl, orig = struct.unpack(end + 'IIII', rec)
                if incl == 0:
                    why = 'frame with 0 captured bytes (not replayed)'
                elif incl > 16383:
                    why = 'frame of %d bytes (device takes up to 16383)' % incl
                elif incl < orig or (snaplen and incl > snaplen):
                    # libpcap also cuts a record longer than the file's snap length to it
                    why = 'frame cut by the snap length (%d of %d bytes, snap length %d)' % (incl, orig, snaplen)
                f.seek(incl, 1)
    if why:
        print('excluded %s: %s' % (path, why), file=sys.stderr)
    else:
        print(path)
