namespace ImageApi.TestSupport;

/// <summary>
/// CRC-32 as zlib computes it (IEEE 802.3: PNG chunks, the face template's checksum), bitwise — a few lines instead of
/// a package, and independent of the product's implementation, so a test that builds a checksum does not trust the
/// code it checks.
/// </summary>
public static class ZlibCrc32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}
