using SkiaSharp;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>A camera frame that shows only part of the code, as when a thumb or the screen edge covers it.</summary>
public static class PartialFrame
{
    /// <summary>Keeps the left 55 % of the image, so the top-right finder pattern is gone and decoders cannot locate the code.</summary>
    public static byte[] Crop(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);

        using SKBitmap source = SKBitmap.Decode(png)
            ?? throw new ArgumentException("The frame is not a PNG image.", nameof(png));
        int width = Math.Max(1, source.Width * 55 / 100);
        using var cropped = new SKBitmap(width, source.Height);
        source.ExtractSubset(cropped, new SKRectI(0, 0, width, source.Height));
        using SKImage image = SKImage.FromBitmap(cropped);
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
