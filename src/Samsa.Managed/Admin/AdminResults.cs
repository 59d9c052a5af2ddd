namespace Samsa.Admin;

/// <summary>The one rule every admin operation ends with: all results back, or an exception carrying all of them.</summary>
internal static class AdminResults
{
    public static IReadOnlyList<TResult> ThrowIfAnyFailed<TResult>(string operation, IReadOnlyList<TResult> results)
        where TResult : IAdminResult
    {
        foreach (TResult r in results)
        {
            if (r.Error != ErrorCode.None)
            {
                throw new AdminException<TResult>(operation, results);
            }
        }

        return results;
    }
}
