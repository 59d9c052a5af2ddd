using Samsa.Protocol;
using Samsa.TestSupport;

namespace Samsa.Tests.Golden;

/// <summary>The capture format reads back what it wrote and names the line it cannot read.</summary>
public sealed class CaptureFileTests
{
    [Fact]
    public void Frames_and_comments_round_trip()
    {
        CapturedFrame[] frames =
        [
            new(FrameDirection.Request, ApiKey.Metadata, 12, 7, 2, 3, [0x00, 0x03, 0x00, 0x0c, 0xff]),
            new(FrameDirection.Response, ApiKey.Metadata, 12, 7, 2, 3, [0x00, 0x00, 0x00, 0x07]),
        ];
        string path = Path.GetTempFileName();
        try
        {
            CaptureFile.Write(path, ["first", "second"], frames);
            IReadOnlyList<CapturedFrame> read = CaptureFile.Read(path);
            Assert.Equal(2, read.Count);
            for (int i = 0; i < frames.Length; i++)
            {
                Assert.Equal(frames[i] with { Frame = [] }, read[i] with { Frame = [] });
                Assert.Equal(frames[i].Frame, read[i].Frame);
            }

            Assert.Equal(["first", "second"], CaptureFile.ReadComments(path));
            Assert.Equal("REQ 3 12 7 2 3 0003000cff", File.ReadAllLines(path)[2]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_malformed_line_names_the_file_and_line()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nREQ 3 12 7 2 3 0003\nRES 3 12 x 2 3 00\n");
            var e = Assert.Throws<FormatException>(() => CaptureFile.Read(path));
            Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
