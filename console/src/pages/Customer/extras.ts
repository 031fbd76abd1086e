import type { ComponentType } from 'react';
import { PunchCards } from '../../components/PunchCards/PunchCards';

/**
 * Panels other parts of the console add to the Customer page (the frequent-buyer punch cards, for one),
 * each given the merchant and the customer. Add an entry here; the page renders them in order.
 */
export interface CustomerExtraProps {
  merchantId: string;
  customerId: string;
}
export const customerExtras: Array<{ id: string; Component: ComponentType<CustomerExtraProps> }> = [{ id: 'punch-cards', Component: PunchCards }];
