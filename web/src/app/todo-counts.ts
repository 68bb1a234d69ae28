import { useQuery } from '@tanstack/react-query'
import type { TodoCounts } from '../../../common/todo'
import { get } from '../api/client'

/** What waits for the caller's union (GET /api/todo): the 待办 panel and the side menu's badges; refreshed every half minute. */
export function useTodoCounts() {
  return useQuery({
    queryKey: ['todo'],
    queryFn: () => get<TodoCounts>('/todo'),
    refetchInterval: 30_000,
    staleTime: 5_000,
  })
}
