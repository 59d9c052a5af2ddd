using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Samsa.Cli.Output;

/// <summary>
/// kcat's -f output format, compiled once: %t topic, %p partition, %o offset, %k key, %s value, %K key length,
/// %S value length, %T timestamp (ms), %h headers (name=value,...), %% a percent sign; \n \r \t \\ escapes.
/// Formatting a record writes straight into a byte buffer: nothing is allocated per message.
/// </summary>
internal sealed class MessageFormatter
{
    private readonly List<Token> _tokens;

    private MessageFormatter(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private enum Field
    {
        Literal,
        Topic,
        Partition,
        Offset,
        Key,
        Value,
        KeyLength,
        ValueLength,
        Timestamp,
        Headers,
    }

    /// <summary>Compiles a format; unknown tokens are usage errors.</summary>
    public static MessageFormatter Parse(string format)
    {
        var tokens = new List<Token>();
        var literal = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '\\' && i + 1 < format.Length)
            {
                char e = format[++i];
                literal.Append(e switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    '\\' => '\\',
                    _ => throw new UsageException($"-f: unknown escape '\\{e}' (use \\n, \\r, \\t or \\\\)"),
                });
                continue;
            }

            if (c != '%')
            {
                literal.Append(c);
                continue;
            }

            if (i + 1 >= format.Length)
            {
                throw new UsageException("-f: the format ends with a lone '%'");
            }

            char f = format[++i];
            if (f == '%')
            {
                literal.Append('%');
                continue;
            }

            Field field = f switch
            {
                't' => Field.Topic,
                'p' => Field.Partition,
                'o' => Field.Offset,
                'k' => Field.Key,
                's' => Field.Value,
                'K' => Field.KeyLength,
                'S' => Field.ValueLength,
                'T' => Field.Timestamp,
                'h' => Field.Headers,
                _ => throw new UsageException($"-f: unknown token '%{f}' (use %t %p %o %k %s %K %S %T %h %%)"),
            };
            Flush(tokens, literal);
            tokens.Add(new Token(field, []));
        }

        Flush(tokens, literal);
        return new MessageFormatter(tokens);
    }

    /// <summary>Writes one record as the format says.</summary>
    public void Write(IBufferWriter<byte> output, in ConsumedRecord record, byte[] topicUtf8)
    {
        foreach (Token token in _tokens)
        {
            switch (token.Field)
            {
                case Field.Literal:
                    output.Write(token.Literal);
                    break;
                case Field.Topic:
                    output.Write(topicUtf8);
                    break;
                case Field.Partition:
                    Number(output, record.Partition);
                    break;
                case Field.Offset:
                    Number(output, record.Offset);
                    break;
                case Field.Key:
                    output.Write(record.Key.Span);
                    break;
                case Field.Value:
                    output.Write(record.Value.Span);
                    break;
                case Field.KeyLength:
                    Number(output, record.KeyIsNull ? -1 : record.Key.Length);
                    break;
                case Field.ValueLength:
                    Number(output, record.ValueIsNull ? -1 : record.Value.Length);
                    break;
                case Field.Timestamp:
                    Number(output, record.Timestamp.UnixTimestampMs);
                    break;
                case Field.Headers:
                    bool first = true;
                    foreach (Samsa.Protocol.Records.RecordHeaderView h in record.Headers)
                    {
                        if (!first)
                        {
                            output.Write(","u8);
                        }

                        first = false;
                        output.Write(h.Key.Span);
                        output.Write("="u8);
                        output.Write(h.Value.Span);
                    }

                    break;
            }
        }
    }

    private static void Number(IBufferWriter<byte> output, long value)
    {
        Span<byte> span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        output.Advance(written);
    }

    private static void Flush(List<Token> tokens, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            tokens.Add(new Token(Field.Literal, Encoding.UTF8.GetBytes(literal.ToString())));
            literal.Clear();
        }
    }

    private sealed record Token(Field Field, byte[] Literal);
}
