using System.Globalization;
using System.Text;

namespace Samsa.Network.Security;

/// <summary>
/// SASLprep (RFC 4013, the stringprep profile SCRAM applies to user names and passwords, as query strings:
/// unassigned code points are allowed). Printable ASCII, the common case, passes unchanged. Otherwise:
/// non-ASCII spaces become U+0020, "commonly mapped to nothing" characters are removed, the string is
/// normalized (NFKC), prohibited characters are refused, and the bidirectional rule is checked.
/// </summary>
/// <remarks>
/// NFKC: Samsa runs with invariant globalization (no ICU), where <see cref="string.Normalize(NormalizationForm)"/>
/// does nothing, so the compatibility mappings people actually type are applied from a table here (fullwidth
/// and halfwidth ASCII forms, ligatures, Roman numerals, superscript digits, ordinal indicators, micro sign);
/// other non-ASCII text is kept as given (in practice: already NFC, as keyboards produce it). The bidi check
/// treats Hebrew, Arabic, Syriac, Thaana and N'Ko letters as RandALCat and other letters as LCat.
/// </remarks>
internal static class SaslPrep
{
    /// <summary>The prepared string.</summary>
    /// <exception cref="ConfigException">A prohibited character, or text that breaks the bidi rule; the secret is never shown.</exception>
    public static string Prepare(string value, string property, bool secret)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool printableAscii = true;
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                printableAscii = false;
                break;
            }
        }

        if (printableAscii)
        {
            return value;
        }

        var mapped = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            int cp = CodePointAt(value, ref i, property, secret);
            if (IsNonAsciiSpace(cp))
            {
                mapped.Append(' ');
            }
            else if (!IsMappedToNothing(cp))
            {
                AppendCompatibility(mapped, cp);
            }
        }

        string normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        bool anyRandAL = false;
        bool anyL = false;
        for (int i = 0; i < normalized.Length; i++)
        {
            int cp = CodePointAt(normalized, ref i, property, secret);
            if (IsProhibited(cp))
            {
                throw new ConfigException(property, secret ? ConfigErrors.Redacted : value,
                    $"{property} contains U+{cp:X4}, a character SASLprep (RFC 4013) prohibits (control, private use, non-character or formatting).");
            }

            anyRandAL |= IsRandAL(cp);
            anyL |= IsL(cp);
        }

        if (anyRandAL)
        {
            int first = char.ConvertToUtf32(normalized, 0);
            int last = char.IsLowSurrogate(normalized[^1]) && normalized.Length > 1 ? char.ConvertToUtf32(normalized, normalized.Length - 2) : normalized[^1];
            if (anyL || !IsRandAL(first) || !IsRandAL(last))
            {
                throw new ConfigException(property, secret ? ConfigErrors.Redacted : value,
                    $"{property} mixes right-to-left and left-to-right text in a way SASLprep (RFC 4013, RFC 3454 section 6) refuses.");
            }
        }

        return normalized;
    }

    private static int CodePointAt(string s, ref int i, string property, bool secret)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            return char.ConvertToUtf32(c, s[++i]);
        }

        if (char.IsSurrogate(c))
        {
            throw new ConfigException(property, secret ? ConfigErrors.Redacted : s, $"{property} contains an unpaired surrogate (U+{(int)c:X4}), which SASLprep prohibits.");
        }

        return c;
    }

    /// <summary>RFC 3454 table C.1.2.</summary>
    private static bool IsNonAsciiSpace(int cp) =>
        cp is 0x00A0 or 0x1680 or (>= 0x2000 and <= 0x200B) or 0x202F or 0x205F or 0x3000;

    /// <summary>RFC 3454 table B.1.</summary>
    private static bool IsMappedToNothing(int cp) =>
        cp is 0x00AD or 0x034F or 0x1806 or (>= 0x180B and <= 0x180D) or (>= 0x200B and <= 0x200D) or 0x2060
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF;

    /// <summary>The NFKC compatibility mappings of the characters people actually type (see the remarks).</summary>
    private static void AppendCompatibility(StringBuilder sb, int cp)
    {
        switch (cp)
        {
            case >= 0xFF01 and <= 0xFF5E: // fullwidth ASCII
                sb.Append((char)(cp - 0xFF01 + 0x21));
                return;
            case 0x00AA:
                sb.Append('a');
                return;
            case 0x00BA:
                sb.Append('o');
                return;
            case 0x00B2:
                sb.Append('2');
                return;
            case 0x00B3:
                sb.Append('3');
                return;
            case 0x00B9:
                sb.Append('1');
                return;
            case 0x00B5:
                sb.Append('\u03BC');
                return;
            case 0x2070:
                sb.Append('0');
                return;
            case >= 0x2074 and <= 0x2079:
                sb.Append((char)('4' + (cp - 0x2074)));
                return;
            case >= 0x2080 and <= 0x2089:
                sb.Append((char)('0' + (cp - 0x2080)));
                return;
            case >= 0xFB00 and <= 0xFB06:
                sb.Append(cp switch
                {
                    0xFB00 => "ff",
                    0xFB01 => "fi",
                    0xFB02 => "fl",
                    0xFB03 => "ffi",
                    0xFB04 => "ffl",
                    _ => "st",
                });
                return;
            case >= 0x2160 and <= 0x217F:
                sb.Append(RomanNumeral(cp));
                return;
            default:
                sb.Append(char.ConvertFromUtf32(cp));
                return;
        }
    }

    private static string RomanNumeral(int cp)
    {
        string[] upper = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D", "M"];
        int index = (cp - 0x2160) % 16;
        return cp < 0x2170 ? upper[index] : upper[index].ToLowerInvariant();
    }

    /// <summary>RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9.</summary>
    private static bool IsProhibited(int cp) =>
        IsNonAsciiSpace(cp)
        || cp < 0x20 || cp == 0x7F // C.2.1
        || (cp >= 0x80 && cp <= 0x9F) || cp is 0x06DD or 0x070F or 0x180E or 0x200C or 0x200D or 0x2028 or 0x2029
        || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC)
        || (cp >= 0x1D173 && cp <= 0x1D17A) // C.2.2
        || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) || (cp >= 0x100000 && cp <= 0x10FFFD) // C.3
        || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE // C.4
        || (cp >= 0xD800 && cp <= 0xDFFF) // C.5
        || (cp >= 0xFFF9 && cp <= 0xFFFD) // C.6
        || (cp >= 0x2FF0 && cp <= 0x2FFB) // C.7
        || cp is 0x0340 or 0x0341 or 0x200E or 0x200F || (cp >= 0x202A && cp <= 0x202E) // C.8
        || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F); // C.9

    /// <summary>RandALCat, approximately (RFC 3454 table D.1): the right-to-left scripts' blocks.</summary>
    private static bool IsRandAL(int cp) =>
        cp is 0x05BE or 0x05C0 or 0x05C3 || (cp >= 0x05D0 && cp <= 0x05F4) // Hebrew
        || cp is 0x061B or 0x061F || (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x066D && cp <= 0x06D5) || (cp >= 0x06E5 && cp <= 0x06FE) // Arabic
        || (cp >= 0x0700 && cp <= 0x074F && cp != 0x070F) // Syriac
        || (cp >= 0x0780 && cp <= 0x07BF) // Thaana
        || (cp >= 0x07C0 && cp <= 0x07FF) // N'Ko
        || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC);

    /// <summary>LCat, approximately (RFC 3454 table D.2): any other letter.</summary>
    private static bool IsL(int cp)
    {
        if (IsRandAL(cp))
        {
            return false;
        }

        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(cp);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
    }
}
