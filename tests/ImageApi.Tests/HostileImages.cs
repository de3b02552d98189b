using System.Buffers.Binary;
using SkiaSharp;

namespace ImageApi.Tests;

/// <summary>
/// Images for the hostile-input corpus, made in code (no committed binaries): SkiaSharp encodes what it can, and tiny
/// byte-level builders make what it cannot (CMYK and progressive JPEG, animated GIF and WebP).
/// </summary>
internal static class HostileImages
{
    /// <summary>A smooth picture with some shapes: no face, but real content for the encoders to compress.</summary>
    public static SKBitmap Picture(int width, int height, SKColorType colorType = SKColorType.Rgba8888)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint();
        paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
            [SKColors.SteelBlue, SKColors.Orange], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, 0, width, height, paint);
        paint.Shader = null;
        paint.Color = SKColors.DarkGreen;
        canvas.DrawCircle(width / 3f, height / 2f, Math.Min(width, height) / 5f, paint);
        paint.Color = SKColors.White;
        canvas.DrawRect(width / 2f, height / 4f, width / 4f, height / 3f, paint);
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 90)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Jpeg(int width = 320, int height = 240)
    {
        using var bitmap = Picture(width, height);
        return Encode(bitmap, SKEncodedImageFormat.Jpeg);
    }

    public static byte[] Png(int width = 320, int height = 240)
    {
        using var bitmap = Picture(width, height);
        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>A PNG with 16 bits per channel (Skia writes 16-bit PNG from a 16-bit colour type).</summary>
    public static byte[] Png16()
    {
        using var bitmap = Picture(64, 48, SKColorType.Rgba16161616);
        var png = Encode(bitmap, SKEncodedImageFormat.Png);
        if (png[24] != 16) throw new InvalidOperationException($"expected bit depth 16 in IHDR, got {png[24]}");
        return png;
    }

    /// <summary>An 8×8 baseline JPEG with four components and Adobe's APP14 marker (transform 0): a CMYK JPEG, as print
    /// workflows write them. Every block is flat (DC difference 0, then end-of-block), coded with one-symbol tables.</summary>
    public static byte[] CmykJpeg() => JpegOf(sof: 0xC0, components: 4, adobe: true, scans: [ScanOf([1, 2, 3, 4], 0, 63)],
        // 4 blocks × ("0" DC category 0 + "0" EOB) = 8 bits.
        scanData: [[0x00]]);

    /// <summary>An 8×8 grayscale progressive JPEG (SOF2): a DC scan, then one AC scan (end-of-band at once).</summary>
    public static byte[] ProgressiveJpeg() => JpegOf(sof: 0xC2, components: 1, adobe: false,
        scans: [ScanOf([1], 0, 0), ScanOf([1], 1, 63)],
        // DC: "0" (category 0) then 1-bit padding; AC: "0" (EOB run 0) then padding.
        scanData: [[0x7F], [0x7F]]);

    private static byte[] ScanOf(byte[] ids, byte ss, byte se)
    {
        var header = new List<byte> { (byte)ids.Length };
        foreach (var id in ids) header.AddRange([id, 0x00]);
        header.AddRange([ss, se, 0x00]);
        return [.. header];
    }

    private static byte[] JpegOf(byte sof, int components, bool adobe, byte[][] scans, byte[][] scanData)
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        if (adobe)
        {
            // "Adobe", version 100, flags0, flags1, transform 0 (no YCC: plain CMYK).
            Segment(jpeg, 0xEE, [(byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0, 100, 0, 0, 0, 0, 0]);
        }

        Segment(jpeg, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new List<byte> { 8, 0, 8, 0, 8, (byte)components };
        for (var c = 1; c <= components; c++) frame.AddRange([(byte)c, 0x11, 0x00]);
        Segment(jpeg, sof, [.. frame]);
        // One-symbol Huffman tables (code "0"): DC table 0 holds category 0, AC table 0 holds EOB (0x00).
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0x00]);
        Segment(jpeg, 0xC4, [0x10, 1, .. new byte[15], 0x00]);
        for (var i = 0; i < scans.Length; i++)
        {
            Segment(jpeg, 0xDA, scans[i]);
            jpeg.AddRange(scanData[i]);
        }

        jpeg.AddRange([0xFF, 0xD9]);
        return [.. jpeg];
    }

    private static void Segment(List<byte> jpeg, byte marker, byte[] payload)
    {
        jpeg.AddRange([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        jpeg.AddRange(payload);
    }

    /// <summary>A 2×2 GIF89a with two frames (NETSCAPE loop extension): an animation, of which the first frame counts.</summary>
    public static byte[] AnimatedGif()
    {
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        gif.AddRange([2, 0, 2, 0, 0xF1, 0, 0]); // 2×2, global colour table of 4 entries
        gif.AddRange([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255]);
        gif.AddRange([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8.ToArray(), 3, 1, 0, 0, 0]);
        foreach (var pixels in new byte[][] { [0, 1, 2, 3], [3, 2, 1, 0] })
        {
            gif.AddRange([0x21, 0xF9, 4, 0x04, 10, 0, 0, 0]); // graphic control: 100 ms
            gif.AddRange([0x2C, 0, 0, 0, 0, 2, 0, 2, 0, 0]);
            gif.Add(2); // LZW minimum code size
            var lzw = Lzw(pixels);
            gif.Add((byte)lzw.Length);
            gif.AddRange(lzw);
            gif.Add(0);
        }

        gif.Add(0x3B);
        return [.. gif];
    }

    /// <summary>LZW with 3-bit codes only: a clear code before the table would grow to 4 bits.</summary>
    private static byte[] Lzw(byte[] pixels)
    {
        const int clear = 4, end = 5;
        var codes = new List<int>();
        for (var i = 0; i < pixels.Length; i++)
        {
            if (i % 2 == 0) codes.Add(clear);
            codes.Add(pixels[i]);
        }

        codes.Add(end);
        var bytes = new List<byte>();
        int acc = 0, bits = 0;
        foreach (var code in codes)
        {
            acc |= code << bits;
            bits += 3;
            while (bits >= 8)
            {
                bytes.Add((byte)acc);
                acc >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0) bytes.Add((byte)acc);
        return [.. bytes];
    }

    /// <summary>An animated WebP (VP8X + ANIM + two ANMF frames), its frames lossless WebP bitstreams made by Skia.</summary>
    public static byte[] AnimatedWebp()
    {
        const int w = 32, h = 24;
        var frames = new List<byte[]>();
        foreach (var color in new[] { SKColors.Red, SKColors.Blue })
        {
            using var bitmap = new SKBitmap(w, h);
            bitmap.Erase(color);
            using var data = bitmap.Encode(SKEncodedImageFormat.Webp, 100);
            frames.Add(FirstChunk(data.ToArray(), "VP8L") ?? FirstChunk(data.ToArray(), "VP8 ")
                       ?? throw new InvalidOperationException("Skia wrote no VP8/VP8L chunk"));
        }

        var body = new List<byte>();
        body.AddRange("WEBP"u8.ToArray());
        body.AddRange(Chunk("VP8X", [0x02, 0, 0, 0, .. U24(w - 1), .. U24(h - 1)]));
        body.AddRange(Chunk("ANIM", [0, 0, 0, 0, 0, 0]));
        foreach (var frame in frames)
        {
            body.AddRange(Chunk("ANMF", [.. U24(0), .. U24(0), .. U24(w - 1), .. U24(h - 1), .. U24(100), 0, .. frame]));
        }

        var riff = new List<byte>();
        riff.AddRange("RIFF"u8.ToArray());
        var size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, body.Count);
        riff.AddRange(size);
        riff.AddRange(body);
        return [.. riff];
    }

    /// <summary>The first chunk (header included) of the given type in a simple RIFF WebP file.</summary>
    private static byte[]? FirstChunk(byte[] webp, string fourCc)
    {
        for (var at = 12; at + 8 <= webp.Length;)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(at + 4));
            if (System.Text.Encoding.ASCII.GetString(webp, at, 4) == fourCc) return webp.AsSpan(at, 8 + size + (size & 1)).ToArray();
            at += 8 + size + (size & 1);
        }

        return null;
    }

    private static byte[] Chunk(string fourCc, byte[] payload)
    {
        var chunk = new byte[8 + payload.Length + (payload.Length & 1)];
        System.Text.Encoding.ASCII.GetBytes(fourCc).CopyTo(chunk, 0);
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(4), payload.Length);
        payload.CopyTo(chunk, 8);
        return chunk;
    }

    private static byte[] U24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];
}
