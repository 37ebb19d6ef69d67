import { redirect } from 'next/navigation';
import { requirePageRole } from '@/lib/auth/guard';

// The landing page by role: analysts start where they decide (Episodes), viewers and admins on the Overview.
export default async function Home() {
  const actor = await requirePageRole('viewer');
  redirect(actor.role === 'analyst' ? '/episodes' : '/overview');
}
