using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using QRCoder;

namespace EdgeIoT.Benchmarks;

/// <summary>Prints the byte and character size of each credential form and its QR version at error correction level Q.</summary>
internal static class TokenSizes
{
    public static int Print()
    {
        (string Form, int Bytes)[] forms =
        [
            ("session or delegated token", TokenLayout.TotalLength),
            ("pass with rotating code", TokenLayout.TotalLength + RotatingCode.SuffixLength),
            ("delegated token with certificate reference", TokenLayout.TotalLength + DelegationCertificate.ReferenceLength),
            ("delegated token with certificate", TokenLayout.TotalLength + DelegationCertificate.TotalLength),
            ("assistant pass with certificate reference and code", TokenLayout.TotalLength + DelegationCertificate.ReferenceLength + RotatingCode.SuffixLength),
            ("assistant pass with certificate and code", TokenLayout.TotalLength + DelegationCertificate.TotalLength + RotatingCode.SuffixLength),
        ];

        Console.WriteLine("| form | bytes | QR text characters | QR version at level Q |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var random = new Random(1);
        foreach ((string form, int length) in forms)
        {
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            string text = QrText.Encode(bytes);
            using QRCodeData data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.Q);
            Console.WriteLine($"| {form} | {length} | {text.Length} | {data.Version} |");
        }

        Console.WriteLine($"NDEF message of a token: {NdefToken.MessageLength} bytes; with TLV and terminator "
            + $"{NdefToken.MessageLength + 3} of the NTAG213's {NdefToken.Ntag213UserBytes} user bytes.");
        return 0;
    }
}
