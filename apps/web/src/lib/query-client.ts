import { QueryClient } from "@tanstack/react-query";
import { isTrpcError } from "./errors.ts";

const MAX_RETRIES = 2;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx answer will not change on retry; retrying UNAUTHORIZED would only delay the redirect
        // to the sign-in page by several seconds.
        retry: (failureCount, error) => {
          const status = isTrpcError(error) ? error.data?.httpStatus : undefined;
          if (status !== undefined && status >= 400 && status < 500) return false;
          return failureCount < MAX_RETRIES;
        },
      },
      mutations: { retry: false },
    },
  });
}
