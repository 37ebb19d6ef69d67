// The shared skeleton while this segment's server component loads.
export { PageLoading as default } from '@/components/layout/PageLoading';
