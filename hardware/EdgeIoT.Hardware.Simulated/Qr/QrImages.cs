using QRCoder;
using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// Renders QR codes as PNG (QRCoder, error correction level Q) and decodes PNG frames the way
/// a camera scanner would (SkiaSharp for the pixels, ZXing.Net for the symbol).
/// </summary>
public static class QrImages
{
    /// <summary>Characters of the QR alphanumeric mode (ISO/IEC 18004, table 5).</summary>
    public const string AlphanumericCharacters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    /// <summary>
    /// Renders <paramref name="text"/> as a black-on-white PNG with a 4-module quiet zone.
    /// The text must use only QR alphanumeric characters, so QRCoder picks alphanumeric mode.
    /// </summary>
    public static byte[] RenderPng(string text, int pixelsPerModule = 4)
    {
        ValidateAlphanumeric(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelsPerModule, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixelsPerModule, 40);

        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }

    /// <summary>Returns the QR version (1 to 40) that <paramref name="text"/> needs at level Q.</summary>
    public static int QrVersionFor(string text)
    {
        ValidateAlphanumeric(text);

        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        return data.Version;
    }

    /// <summary>
    /// Decodes the QR code in a PNG image. Returns false with a readable error when the bytes
    /// are not an image or no QR code can be read from it.
    /// </summary>
    public static bool TryDecodePng(byte[] png, out string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(png);

        text = string.Empty;
        using var bitmap = TryDecodeImage(png, out error);
        return bitmap is not null && TryDecode(bitmap, out text, out error);
    }

    /// <summary>Decodes a PNG (or any format Skia reads) to a bitmap, or returns null with an error.</summary>
    internal static SKBitmap? TryDecodeImage(byte[] image, out string error)
    {
        // SKBitmap.Decode throws on bytes no codec recognizes, so the codec is probed first.
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data);
        var bitmap = codec is null ? null : SKBitmap.Decode(codec);
        error = bitmap is null ? $"The {image.Length}-byte frame is not a decodable image." : string.Empty;
        return bitmap;
    }

    internal static bool TryDecode(SKBitmap bitmap, out string text, out string error)
    {
        text = string.Empty;
        var luminance = ToLuminance(bitmap);
        var source = new RGBLuminanceSource(
            luminance, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        // Guests hold phones at any angle, so the reader also tries the frame rotated. Without
        // it ZXing.Net 0.16 misses about 1.6% of clean, upright token codes.
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true },
        };

        var result = reader.Decode(source);
        if (result is null)
        {
            error = $"No QR code found in the {bitmap.Width}x{bitmap.Height} frame.";
            return false;
        }

        text = result.Text;
        error = string.Empty;
        return true;
    }

    private static byte[] ToLuminance(SKBitmap bitmap)
    {
        var pixels = bitmap.Pixels;
        var luminance = new byte[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            var pixel = pixels[i];

            // ITU-R BT.601 luma weights, in integer arithmetic.
            luminance[i] = (byte)(((pixel.Red * 299) + (pixel.Green * 587) + (pixel.Blue * 114)) / 1000);
        }

        return luminance;
    }

    private static void ValidateAlphanumeric(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);

        for (var i = 0; i < text.Length; i++)
        {
            if (!AlphanumericCharacters.Contains(text[i], StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"QR text character '{text[i]}' at index {i} is outside the QR alphanumeric set "
                    + $"\"{AlphanumericCharacters}\".",
                    nameof(text));
            }
        }
    }
}
