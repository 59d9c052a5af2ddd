using System.Text;

namespace Samsa.ProtocolGenerator.Emit;

/// <summary>Accumulates C# source with indentation.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length == 0)
        {
            _sb.Append('\n');
            return;
        }

        _sb.Append(' ', _indent * 4).Append(text).Append('\n');
    }

    public void Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public void Doc(string? about)
    {
        if (string.IsNullOrWhiteSpace(about))
        {
            return;
        }

        Line("/// <summary>" + Escape(about.Trim()) + "</summary>");
    }

    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);

    public override string ToString() => _sb.ToString();
}
