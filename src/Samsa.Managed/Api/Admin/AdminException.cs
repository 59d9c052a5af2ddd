using System.Text;

namespace Samsa;

/// <summary>
/// Thrown by an <see cref="AdminClient"/> operation when at least one item failed. <see cref="Results"/> holds the
/// result of every item, in request order (the successful ones too); <see cref="KafkaException.Error"/> is the
/// first failure's error. Failures of the whole request (no broker reachable, cancellation) are thrown as a plain
/// <see cref="KafkaException"/> or <see cref="OperationCanceledException"/> instead.
/// </summary>
public sealed class AdminException<TResult> : KafkaException
    where TResult : IAdminResult
{
    public AdminException(string operation, IReadOnlyList<TResult> results)
        : base(FirstError(results), Describe(operation, results))
    {
        Results = results;
        Operation = operation;
    }

    /// <summary>The operation's name, e.g. "CreateTopics".</summary>
    public string Operation { get; }

    /// <summary>Every item's result, in request order.</summary>
    public IReadOnlyList<TResult> Results { get; }

    /// <summary>The results that carry an error.</summary>
    public IReadOnlyList<TResult> Failed
    {
        get
        {
            var failed = new List<TResult>();
            foreach (TResult r in Results)
            {
                if (r.Error != ErrorCode.None)
                {
                    failed.Add(r);
                }
            }

            return failed;
        }
    }

    private static ErrorCode FirstError(IReadOnlyList<TResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (TResult r in results)
        {
            if (r.Error != ErrorCode.None)
            {
                return r.Error;
            }
        }

        return ErrorCode.None;
    }

    private static string Describe(string operation, IReadOnlyList<TResult> results)
    {
        int failed = 0;
        var details = new StringBuilder();
        foreach (TResult r in results)
        {
            if (r.Error == ErrorCode.None)
            {
                continue;
            }

            failed++;
            if (failed <= 5)
            {
                details.Append(failed == 1 ? "" : "; ").Append(r.Subject).Append(": ").Append(r.Error.Name());
                if (!string.IsNullOrEmpty(r.ErrorMessage))
                {
                    details.Append(" (").Append(r.ErrorMessage).Append(')');
                }
            }
        }

        if (failed > 5)
        {
            details.Append("; and ").Append(failed - 5).Append(" more");
        }

        return $"{operation}: {failed} of {results.Count} failed: {details}";
    }
}
