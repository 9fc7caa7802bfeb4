using SkiaSharp;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>Degrades a frame the way motion or a dirty lens does: a strong Gaussian blur.</summary>
internal static class FrameBlur
{
    public static SKBitmap Apply(SKBitmap source)
    {
        // A sigma of a sixth of the frame spans several modules of any code up to version 40,
        // so the finder patterns wash out and the frame cannot be decoded.
        var sigma = Math.Max(source.Width, source.Height) / 6f;
        var blurred = new SKBitmap(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(blurred);
        using var filter = SKImageFilter.CreateBlur(sigma, sigma);
        using var paint = new SKPaint { ImageFilter = filter };
        canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        return blurred;
    }
}
