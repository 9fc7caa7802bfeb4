using System.Text;
using EdgeIoT.Firmware.Json;

namespace EdgeIoT.Firmware.Tests.Json;

public class JsonReaderTests
{
    [Fact]
    public void TryParse_NestedDocument_ReadsEveryKind()
    {
        byte[] json = Encoding.UTF8.GetBytes(
            "{\"a\":[1,-9223372036854775808,true,false,null],\"s\":\"x\\\"\\u00e9\\ud83d\\ude00\\n\",\"u\":\"é😀\"}");

        JsonValue? root = JsonReader.TryParse(json, out string error);

        Assert.True(root is not null, error);
        JsonValue array = root.Get("a")!;
        Assert.Equal(JsonKind.Array, array.Kind);
        Assert.Equal(1, array.GetItem(0).IntegerValue);
        Assert.Equal(long.MinValue, array.GetItem(1).IntegerValue);
        Assert.True(array.GetItem(2).BooleanValue);
        Assert.Equal(JsonKind.Boolean, array.GetItem(3).Kind);
        Assert.Equal(JsonKind.Null, array.GetItem(4).Kind);
        Assert.Equal("x\"é😀\n", root.Get("s")!.StringValue);
        Assert.Equal("é😀", root.Get("u")!.StringValue);
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "member \"a\" appears twice")]
    [InlineData("[01]", "leading zero")]
    [InlineData("[1e5]", "fraction or exponent")]
    [InlineData("[9223372036854775808]", "out of range")]
    [InlineData("[\"\\ud800\"]", "unpaired surrogate")]
    [InlineData("[\"a\tb\"]", "control character")]
    [InlineData("[1,]", "expected a value")]
    [InlineData("[1] x", "unexpected data after the JSON value")]
    [InlineData("[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", "deeper than 16 levels")]
    [InlineData("[tru]", "expected a value")]
    public void TryParse_InvalidDocument_ReportsPositionAndCause(string json, string expected)
    {
        JsonValue? root = JsonReader.TryParse(Encoding.UTF8.GetBytes(json), out string error);

        Assert.Null(root);
        Assert.StartsWith("invalid JSON at byte ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InvalidUtf8_ReportsError()
    {
        byte[] overlong = [(byte)'"', 0xC0, 0xAF, (byte)'"'];

        JsonValue? root = JsonReader.TryParse(overlong, out string error);

        Assert.Null(root);
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OversizedDocument_ReportsLimit()
    {
        byte[] big = new byte[JsonReader.MaxDocumentBytes + 1];
        Array.Fill(big, (byte)' ');

        JsonValue? root = JsonReader.TryParse(big, out string error);

        Assert.Null(root);
        Assert.Contains("more than the limit of 65536", error, StringComparison.Ordinal);
    }
}
