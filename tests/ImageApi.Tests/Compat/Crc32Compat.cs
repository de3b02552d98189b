namespace System.IO.Hashing;

/// <summary>CRC-32 (IEEE 802.3, as PNG uses) — a few lines instead of a package for one test fixture.</summary>
internal static class Crc32Compat
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
